// End-to-end: nothing read from a vault, an export or a lock file drives the terminal (issue 11, finding 1).
// The vault is written below every validation (test/support/raw-vault.ts), as a hostile writer of the vault
// folder or a future bug could, so these tests keep proving the one sanitizer however strict the way in gets.
// Every byte of stdout and stderr is checked: no ESC, BEL, C1, DEL, bidi control or invisible character.
// Names and codes may also be repaired on reading (their hidden characters removed, issue 11's validation),
// so for them the tests accept either the visible form or the repaired one; service, username, note and
// source are free text that only the sanitizer guards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Run, type Sandbox } from '../support/cli.js';
import { writeRawVault } from '../support/raw-vault.js';

const OSC52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
const TITLE = '\u001b]0;owned\u0007';
const CURSOR = '\u001b[1A\u001b[2K';
const C1 = '\u009b2J';
const RLO = '\u202e';
const ZWSP = '\u200b';

/** What must never come out raw (line feeds, the CSV's CRLF and the sheet's form feed are ours). */
const FORBIDDEN = /[\u0000-\u0009\u000b\u000d-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ufffd]/u;

function expectClean(run: Run): void {
  for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    const found = FORBIDDEN.exec(text.replace(/\r\n/g, '\n'));
    expect(found === null ? null : `${stream}: U+${found[0].codePointAt(0)!.toString(16)} in ${JSON.stringify(text)}`).toBeNull();
  }
}

const T0 = '2026-01-02T03:04:05.000Z';
const T1 = '2026-02-03T04:05:06.000Z';

/** A vault as a crafted export would have made it: control sequences in every field that is printed. */
function hostileContent(): unknown {
  const batch = (id: string, codes: string[], extra: object = {}) => ({
    id,
    addedAt: T0,
    source: `import${OSC52}`,
    supersededAt: null,
    printedAt: null,
    copiedAt: null,
    codes: codes.map((code) => ({ code, spentAt: null })),
    ...extra,
  });
  return {
    accounts: [
      {
        id: 'a0000000000000000000000000000001',
        name: `github${RLO}${ZWSP}`,
        service: `GitHub${TITLE}`,
        username: `me${CURSOR}@example.org`,
        note: `note${OSC52}`,
        createdAt: T0,
        batches: [
          batch('b0000000000000000000000000000001', [`1111${OSC52}`, `2222${C1}`, `3333${CURSOR}`, '4444 5555'], { addedAt: T1 }),
          batch('b0000000000000000000000000000002', [`9999${TITLE}`], { supersededAt: T1 }),
        ],
      },
      {
        id: 'a0000000000000000000000000000002',
        name: `gitlab${OSC52}`,
        service: null,
        username: null,
        note: null,
        createdAt: T0,
        batches: [batch('b0000000000000000000000000000003', [`7777${RLO}8888`])],
      },
    ],
    tombstones: [],
  };
}

let box: Sandbox;
beforeEach(async () => {
  box = sandbox();
  await writeRawVault(box.vault, hostileContent());
});
afterEach(() => box.cleanup());

describe('data from the vault on the terminal', () => {
  it('list, show, show --all and show --json print every field with its control characters made visible', () => {
    const list = box.run(['list']);
    expect(list.status).toBe(0);
    expectClean(list);
    expect(list.stdout).toMatch(/^github(<U\+202E><U\+200B>)? /m);
    expect(list.stdout).toMatch(/^gitlab(<U\+001B>\]52;c;ZWNobyBwd25lZA==<U\+0007>|\]52;c;ZWNobyBwd25lZA==)? /m);

    const show = box.run(['show', 'github', '--all']);
    expect(show.status).toBe(0);
    expectClean(show);
    expect(show.stdout).toContain('(GitHub<U+001B>]0;owned<U+0007>)');
    expect(show.stdout).toContain('user me<U+001B>[1A<U+001B>[2K@example.org');
    expect(show.stdout).toMatch(/1111(<U\+001B>)?\]52;/);
    expect(show.stdout).toMatch(/2222(<U\+009B>)?2J/);

    for (const args of [['show', 'github', '--all', '--json'], ['list', '--json']]) {
      const json = box.run(args);
      expect(json.status).toBe(0);
      expectClean(json);
    }
    const parsed = JSON.parse(box.run(['show', 'github', '--json']).stdout);
    expect(parsed.service).toBe(`GitHub${TITLE}`);
  });

  it('use prints the code made visible, and its warning names the account safely', () => {
    const run = box.run(['use', 'gitlab']);
    expect(run.status).toBe(0);
    expectClean(run);
    expect(run.stdout).toMatch(/^7777(<U\+202E>)?8888\n$/);
    expect(run.stderr).toMatch(/that was the last code of gitlab(<U\+001B>\]52;c;ZWNobyBwd25lZA==<U\+0007>|\]52;c;ZWNobyBwd25lZA==)?:/);
  });

  it('check names the account safely', () => {
    const run = box.run(['check'], { input: '4444 5555\n' });
    expect(run.status).toBe(0);
    expectClean(run);
    expect(run.stdout).toMatch(/unspent: a code of github(<U\+202E><U\+200B>)? that still works/);
  });

  // export --plaintext --format json into a pipe is the plaintext byte for byte, as docs/decrypt.py prints it.
  it('print (text and HTML) and export --plaintext --format csv to stdout', () => {
    for (const args of [['print', 'github'], ['print', 'gitlab', '--format', 'html'], ['export', '--plaintext', '--format', 'csv']]) {
      const run = box.run(args);
      expect(run.status).toBe(0);
      expectClean(run);
    }
    const html = box.run(['print', 'github', '--format', 'html']).stdout;
    expect(html).toMatch(/<h1><bdi>github(&#60;U\+202E&#62;&#60;U\+200B&#62;)?<\/bdi><\/h1>/);
    expect(html).toContain('<bdi>GitHub&#60;U+001B&#62;]0;owned&#60;U+0007&#62;</bdi>');
    expect(html).toContain('<bdi>me&#60;U+001B&#62;[1A&#60;U+001B&#62;[2K@example.org</bdi>');
  });

  it('errors that name accounts from the vault print them safely', () => {
    const ambiguous = box.run(['use', 'git']);
    expect(ambiguous.status).toBe(2);
    expectClean(ambiguous);
    expect(ambiguous.stderr).toMatch(/gitlab(<U\+001B>\]52;c;ZWNobyBwd25lZA==<U\+0007>|\]52;c;ZWNobyBwd25lZA==)?/);
    expect(box.run(['use', 'gitlab']).status).toBe(0);
    const none = box.run(['use', 'gitlab']);
    expect(none.status).toBe(4);
    expectClean(none);
    expect(none.stderr).toMatch(/no unspent code left for gitlab(<U\+001B>\]52;c;ZWNobyBwd25lZA==<U\+0007>|\]52;c;ZWNobyBwd25lZA==)?/);
  });

  it('a lock file naming a hostile host: the error that names it is safe', () => {
    fs.writeFileSync(`${box.vault}.lock`, `1 evil${TITLE}${C1}.example ${'ab'.repeat(8)}\n`, { mode: 0o600 });
    const run = box.run(['list'], { env: { LIFEBOAT_LOCK_TIMEOUT: '0' } });
    expectClean(run);
    if (run.status !== 0) expect(run.stderr).not.toContain('\u001b');
  });
});

describe('a file name from the command line in an error', () => {
  it('is made visible too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-name-'));
    try {
      const name = path.join(dir, `missing${OSC52}.txt`);
      const run = box.run(['add', 'x', '--file', name]);
      expect(run.status).not.toBe(0);
      expectClean(run);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
