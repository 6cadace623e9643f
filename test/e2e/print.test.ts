// End-to-end: `lifeboat print`, the paper sheet as text, as HTML rendered by a real browser, and sent to `lp`
// (issue 3: "Codes on demand", sections "Paper sheet" and "Tests").
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQr, renderHtmlToPdf, requireTools } from '../support/chromium.js';
import { bytesOf, instagramCodes, sandbox, talk, type Run, type Sandbox } from '../support/cli.js';

interface Shown {
  readonly batch: { readonly fingerprint: string };
  readonly codes: readonly { readonly code: string; readonly state: string }[];
}

const fixtures = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const oldInstagram = instagramCodes(6, 1);
const instagram = instagramCodes(6, 2);
const github = (JSON.parse(fs.readFileSync(path.join(fixtures, 'github-file.expect.json'), 'utf8')) as { codes: string[] }).codes;

let box: Sandbox;
beforeAll(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: oldInstagram.join('\n') }).status).toBe(0);
  expect(box.run(['add', 'ig', '--yes'], { input: instagram.join('\n') }).status).toBe(0);
  expect(box.run(['use', 'ig']).status).toBe(0);
  const download = path.join(box.dir, 'github-recovery-codes.txt');
  fs.copyFileSync(path.join(fixtures, 'github-file.txt'), download);
  expect(box.run(['add', 'github', '--file', download, '--yes']).status).toBe(0);
});
afterAll(() => box.cleanup());

function shown(account: string): Shown {
  const run = box.run(['show', account, '--json']);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Shown;
}

const unspent = (account: string): string[] => shown(account).codes.filter((c) => c.state === 'unspent').map((c) => c.code);

function ok(run: Run): Run {
  expect(run.status, run.stderr).toBe(0);
  return run;
}

/**
 * The columns a line printer or terminal gives a line: East Asian wide and full-width characters take two,
 * combining marks none (the usual wcwidth ranges, enough for these tests).
 */
function columns(line: string): number {
  let total = 0;
  for (const char of line) {
    if (/[\p{Mn}\p{Me}\u200B-\u200D]/u.test(char)) continue;
    const cp = char.codePointAt(0) ?? 0;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1f64f) ||
      (cp >= 0x1f900 && cp <= 0x1f9ff) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    total += wide ? 2 : 1;
  }
  return total;
}

const expectFitsIn80 = (sheet: string): void => {
  for (const line of sheet.split(/\n|\f/)) expect(columns(line), line).toBeLessThanOrEqual(80);
};

/** A sheet with the print time (which moves with the clock) blanked, for comparing two prints. */
const steady = (sheet: string): string => sheet.replace(/^( {2}Printed +).*$/gm, '$1…').trimEnd();

describe('lifeboat print (text)', () => {
  it('prints every account with an active batch: names, every code, spent ones marked, the fingerprint, a form feed between them, ≤ 80 columns', () => {
    const run = ok(box.run(['print']));
    const pages = run.stdout.split('\f');
    expect(pages).toHaveLength(2);
    const [igPage = '', githubPage = ''] = pages;

    expect(igPage).toMatch(/^ {2}Account +ig$/m);
    expect(igPage).toContain(`Batch     ${shown('ig').batch.fingerprint},`);
    expect(igPage).toMatch(new RegExp(`^.*\\[X\\] +1 +${instagram[0]} +used\\b`, 'm'));
    for (const code of instagram.slice(1)) expect(igPage).toMatch(new RegExp(`\\[ \\] +\\d+ +${code}(?!\\S)`));
    for (const code of oldInstagram) expect(run.stdout).not.toContain(code);

    expect(githubPage).toMatch(/^ {2}Account +github$/m);
    expect(githubPage).toContain(`Batch     ${shown('github').batch.fingerprint},`);
    for (const code of github) expect(githubPage).toMatch(new RegExp(`\\[ \\] +\\d+ +${code}(?!\\S)`));
    expect(githubPage).not.toContain('[X]');

    expectFitsIn80(run.stdout);
    // Issue 9: a sheet on a pipe is not recorded as printed, and the one line of talk says so.
    expect(talk(run)).toEqual(['lifeboat: not marked as printed: standard output is not a terminal (use --out FILE or --printer to keep a record)']);
  });

  it('`print ig` prints only that account', () => {
    const run = ok(box.run(['print', 'ig']));
    expect(run.stdout).not.toContain('\f');
    expect(run.stdout).toMatch(/^ {2}Account +ig$/m);
    expect(run.stdout).not.toMatch(/Account +github/);
    for (const code of github) expect(run.stdout).not.toContain(code);
    for (const code of instagram) expect(run.stdout).toContain(code);
  });

  it('an unknown account: exit 4, nothing on stdout', () => {
    const run = box.run(['print', 'nope']);
    expect(run.status).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no account named "nope"');
  });

  it('the superseded batch only with --all, and then under a SUPERSEDED banner', () => {
    const plain = ok(box.run(['print', 'ig']));
    expect(plain.stdout).not.toContain('SUPERSEDED');
    const all = ok(box.run(['print', 'ig', '--all']));
    const banner = all.stdout.indexOf('SUPERSEDED');
    expect(banner).toBeGreaterThan(0);
    const [before, after] = [all.stdout.slice(0, banner), all.stdout.slice(banner)];
    for (const code of oldInstagram) {
      expect(after).toContain(code);
      expect(before).not.toContain(code);
    }
    for (const code of instagram) expect(before).toContain(code);
    expectFitsIn80(all.stdout);
  });

  // Regression: columns were once counted as code points, so East Asian wide characters (two columns each)
  // in an account name or username overflowed the 80-column sheet.
  it('fits 80 columns with East Asian wide characters in the account name and username', () => {
    const own = sandbox();
    try {
      const name = '東京'.repeat(18);
      const username = '山'.repeat(40);
      expect(own.run(['init']).status).toBe(0);
      expect(own.run(['add', name, '--username', username], { input: instagramCodes(2, 9).join('\n') }).status).toBe(0);
      const run = own.run(['print']);
      expect(run.status, run.stderr).toBe(0);
      const squeezed = run.stdout.replace(/\s+/g, '');
      expect(squeezed).toContain(name);
      expect(squeezed).toContain(username);
      expectFitsIn80(run.stdout);
    } finally {
      own.cleanup();
    }
  });
});

describe('lifeboat print --out', () => {
  it('creates the file with mode 0600 and warns that it holds the codes in plain text', () => {
    const file = path.join(box.dir, 'fresh.html');
    const run = ok(box.run(['print', '--format', 'html', '--out', file]));
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`lifeboat: warning: ${file} holds the codes in plain text`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  });

  it('refuses an existing file (exit 1, file untouched) unless --force', () => {
    const file = path.join(box.dir, 'existing.html');
    fs.writeFileSync(file, 'keep me', { mode: 0o644 });
    const refused = box.run(['print', '--format', 'html', '--out', file]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${file} already exists`);
    expect(refused.stderr).toMatch(/^lifeboat: hint: .*--force/m);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');

    ok(box.run(['print', '--format', 'html', '--out', file, '--force']));
    expect(fs.readFileSync(file, 'utf8')).toContain(github[0]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never writes through a symlink: refused without --force; with --force the link itself is replaced', () => {
    const target = path.join(box.dir, 'precious.txt');
    fs.writeFileSync(target, 'precious');
    const link = path.join(box.dir, 'link.html');
    fs.symlinkSync(target, link);

    const refused = box.run(['print', '--format', 'html', '--out', link]);
    expect(refused.status).toBe(1);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');

    ok(box.run(['print', '--format', 'html', '--out', link, '--force']));
    expect(fs.lstatSync(link).isFile()).toBe(true);
    expect(fs.lstatSync(link).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(link, 'utf8')).toContain(github[0]);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
  });

  it('a dangling symlink is not followed either: its target is never created', () => {
    const target = path.join(box.dir, 'created-through-link.html');
    const link = path.join(box.dir, 'dangling.html');
    fs.symlinkSync(target, link);
    const refused = box.run(['print', '--out', link]);
    expect(refused.status).toBe(1);
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('lifeboat print --format html', () => {
  it('is one self-contained page: the CSP meta tag, and no src, href or url() other than data:', () => {
    const html = ok(box.run(['print', '--format', 'html'])).stdout;
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'[;"]/);
    const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?\s*([^"'\s>]*)|url\(\s*["']?\s*([^"')\s]*)/gi)].map((m) => m[1] ?? m[2] ?? '');
    for (const reference of references) expect(reference, reference).toMatch(/^data:/i);
  });

  it.runIf(requireTools(['chromium', 'pdftotext', 'pdfinfo', 'pdftoppm', 'zbarimg']))(
    'printed to PDF by headless Chromium: one page per account, every unspent code and name in the text, the QR gives the unspent codes',
    async () => {
      const file = path.join(box.dir, 'browser.html');
      ok(box.run(['print', '--format', 'html', '--out', file]));
      const pdf = await renderHtmlToPdf(fs.readFileSync(file, 'utf8'));
      try {
        expect(pdf.pages).toBe(2);
        const pages = pdf.text.split('\f');
        const accounts: [string, number][] = [
          ['ig', 0],
          ['github', 1],
        ];
        for (const [account, page] of accounts) {
          const codes = unspent(account);
          const text = pages[page] ?? '';
          expect(text).toMatch(new RegExp(`\\b${account}\\b`));
          for (const code of codes) expect(text).toContain(code);
          const png = pdf.pngs[page];
          expect(png).toBeDefined();
          expect(decodeQr(png ?? '')).toEqual([codes.join('\n')]);
        }
      } finally {
        await pdf.dispose();
      }
    },
    90_000,
  );
});

describe('lifeboat print --printer', () => {
  /** A stub `lp` first on PATH that records its arguments (one a line) and its stdin. */
  function stubLp(): { dir: string; args: () => string; stdin: () => string } {
    const dir = fs.mkdtempSync(path.join(box.dir, 'lp-'));
    fs.writeFileSync(
      path.join(dir, 'lp'),
      `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg"; done > '${dir}/args'\ncat > '${dir}/stdin'\n`,
      { mode: 0o755 },
    );
    return { dir, args: () => fs.readFileSync(path.join(dir, 'args'), 'utf8'), stdin: () => fs.readFileSync(path.join(dir, 'stdin'), 'utf8') };
  }

  it('pipes the text sheet to lp with no arguments, nothing on stdout', () => {
    const lp = stubLp();
    const run = ok(box.run(['print', '--printer'], { env: { PATH: `${lp.dir}:${process.env['PATH'] ?? ''}` } }));
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('sent 2 sheets to the printer');
    expect(lp.args()).toBe('');
    const sheet = ok(box.run(['print'])).stdout;
    expect(steady(lp.stdin())).toBe(steady(sheet));
    expect(lp.stdin()).toContain(github[0]);
  });

  it('--printer-name office → lp -d office', () => {
    const lp = stubLp();
    ok(box.run(['print', 'github', '--printer-name', 'office'], { env: { PATH: `${lp.dir}:${process.env['PATH'] ?? ''}` } }));
    expect(lp.args()).toBe('-d\noffice\n');
    expect(lp.stdin()).toMatch(/^ {2}Account +github$/m);
  });

  it('--format html with --printer: exit 2, lp never runs', () => {
    const lp = stubLp();
    const run = box.run(['print', '--format', 'html', '--printer'], { env: { PATH: `${lp.dir}:${process.env['PATH'] ?? ''}` } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('the printer takes the text sheet');
    expect(fs.existsSync(path.join(lp.dir, 'args'))).toBe(false);
  });

  it('lp failing: exit 1 with its first line of stderr, and the batch is not recorded as printed', () => {
    const lp = stubLp();
    fs.writeFileSync(path.join(lp.dir, 'lp'), "#!/bin/sh\ncat > /dev/null\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n", { mode: 0o755 });
    const before = bytesOf(box.vault);
    const run = box.run(['print', 'github', '--printer-name', 'nowhere'], { env: { PATH: `${lp.dir}:${process.env['PATH'] ?? ''}` } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('lifeboat: error: lp failed (exit status 1): lp: The printer or class does not exist.');
    expect(run.stderr).toMatch(/^lifeboat: hint: /m);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('lp missing: exit 1 with a clear message and a hint', () => {
    // A PATH with only node and setsid (the harness looks setsid up on the child's PATH), and no lp.
    const bin = fs.mkdtempSync(path.join(box.dir, 'bin-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const setsid = ['/usr/bin/setsid', '/bin/setsid'].find((candidate) => fs.existsSync(candidate));
    if (setsid) fs.symlinkSync(setsid, path.join(bin, 'setsid'));
    const run = box.run(['print', '--printer'], { env: { PATH: bin } });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('lifeboat: error: cannot print: the lp command was not found');
    expect(run.stderr).toMatch(/^lifeboat: hint: /m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('lifeboat add after print', () => {
  it('superseding a printed batch says when it was printed and to destroy that sheet; an unprinted one does not', () => {
    const own = sandbox();
    try {
      expect(own.run(['init']).status).toBe(0);
      expect(own.run(['add', 'forum'], { input: instagramCodes(4, 3).join('\n') }).status).toBe(0);
      expect(own.run(['add', 'blog'], { input: instagramCodes(4, 4).join('\n') }).status).toBe(0);
      const sheetFile = path.join(own.dir, 'forum.txt');
      const printed = own.run(['print', 'forum', '--out', sheetFile]);
      expect(printed.status).toBe(0);
      const day = /^ {2}Printed +(\d{4}-\d\d-\d\d) /m.exec(fs.readFileSync(sheetFile, 'utf8'))?.[1];
      expect(day).toMatch(/^\d{4}-\d\d-\d\d$/);

      const forum = own.run(['add', 'forum', '--yes'], { input: instagramCodes(4, 5).join('\n') });
      expect(forum.status).toBe(0);
      expect(forum.stderr).toContain(`lifeboat: warning: you printed the old codes on ${day}: destroy that sheet`);

      const blog = own.run(['add', 'blog', '--yes'], { input: instagramCodes(4, 6).join('\n') });
      expect(blog.status).toBe(0);
      expect(blog.stderr).toContain('is now superseded');
      expect(blog.stderr).not.toContain('you printed the old codes');
    } finally {
      own.cleanup();
    }
  });
});

describe('print to a pipe (issue 9, "Prompts and messages")', () => {
  it('a sheet sent to a pipe or /dev/null is not marked printed, and says so; replacing it then asks for no sheet', () => {
    const own = sandbox();
    try {
      expect(own.run(['init']).status).toBe(0);
      expect(own.run(['add', 'forum'], { input: instagramCodes(4, 3).join('\n') }).status).toBe(0);
      const piped = own.run(['print', 'forum']);
      expect(piped.status).toBe(0);
      expect(piped.stdout).toContain('TWO-FACTOR BACKUP CODES');
      expect(talk(piped)).toEqual(['lifeboat: not marked as printed: standard output is not a terminal (use --out FILE or --printer to keep a record)']);
      const forum = own.run(['add', 'forum', '--yes'], { input: instagramCodes(4, 5).join('\n') });
      expect(forum.stderr).toContain('is now superseded');
      expect(forum.stderr).not.toContain('you printed the old codes');
    } finally {
      own.cleanup();
    }
  });

  it('the superseded sheet does not say to cross a code off', () => {
    const own = sandbox();
    try {
      expect(own.run(['init']).status).toBe(0);
      expect(own.run(['add', 'forum'], { input: instagramCodes(4, 3).join('\n') }).status).toBe(0);
      expect(own.run(['add', 'forum', '--yes'], { input: instagramCodes(4, 5).join('\n') }).status).toBe(0);
      for (const format of ['html', 'text']) {
        const sheets = own.run(['print', 'forum', '--all', '--format', format]).stdout;
        const [active, old] = format === 'html' ? sheets.split('<section').slice(1) : sheets.split('\f');
        expect(active).toMatch(/Cross a code off when you use it/);
        expect(old).toMatch(/SUPERSEDED/);
        expect(old).not.toMatch(/Cross a code off/);
        expect(old).toMatch(/These codes no longer work: do not use them/);
      }
    } finally {
      own.cleanup();
    }
  });
});

describe('long codes on one page (issue 9, "Prompts and messages")', () => {
  it.runIf(requireTools(['chromium', 'pdfinfo', 'pdftotext', 'pdftoppm']))(
    'ten 40- and 64-character codes under a 95-character account name print on one page each',
    async () => {
      for (const length of [40, 64]) {
        const own = sandbox();
        try {
          expect(own.run(['init']).status).toBe(0);
          const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
          const codes = Array.from({ length: 10 }, (_, i) => Array.from({ length }, (_, j) => alphabet[(i * 7 + j * 13) % alphabet.length]).join(''));
          const name = 'the-company-intranet-single-sign-on-portal-of-the-regional-office-in-the-north-west-district';
          const add = own.run(['add', name, '--username', 'firstname.lastname.department@subsidiary.example.org'], { input: codes.join('\n') });
          expect(add.status, add.stderr).toBe(0);
          const out = path.join(own.dir, 'sheet.html');
          expect(own.run(['print', '--format', 'html', '--out', out]).status).toBe(0);
          const pdf = await renderHtmlToPdf(fs.readFileSync(out, 'utf8'));
          try {
            expect(pdf.pages, `${length}-character codes`).toBe(1);
            const text = pdf.text.replace(/\s+/g, '');
            for (const code of codes) expect(text).toContain(code);
          } finally {
            await pdf.dispose();
          }
        } finally {
          own.cleanup();
        }
      }
    },
    180_000,
  );
});
