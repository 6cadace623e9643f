// End-to-end: `lifeboat export` and `lifeboat import` (issue 4, "Export and backup"; issue 2 for the
// passphrase variables and exit statuses).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, sandbox, talk, type Run, type Sandbox } from '../support/cli.js';

const EXPORT_PASSPHRASE = 'a different passphrase for the copy';
const withExportPassphrase = { env: { LIFEBOAT_NEW_PASSPHRASE: EXPORT_PASSPHRASE } };
const PLAINTEXT_WARNING = 'this export holds every code in plain text';

const IG_OLD = instagramCodes(3, 1);
const IG_NEW = instagramCodes(4, 2);
const GH = ['a1b2c-3d4e5', 'f6a7b-8c9d0'];
const FORMULA = ['9f8e7-d6c5b', '4a3b2-c1d0e'];

// The vault every test starts from is built once through the binary, then copied into each sandbox.
let seed: Sandbox;
beforeAll(() => {
  seed = sandbox();
  expect(seed.run(['init']).status).toBe(0);
  // instagram: a superseded batch and an active one with a spent code.
  expect(seed.run(['add', 'instagram'], { input: IG_OLD.join('\n') }).status).toBe(0);
  expect(seed.run(['add', 'instagram', '--yes'], { input: IG_NEW.join('\n') }).status).toBe(0);
  expect(seed.run(['use', 'instagram']).status).toBe(0);
  // Names that a spreadsheet or a CSV reader could trip on.
  expect(seed.run(['add', 'github,work'], { input: GH.join('\n') }).status).toBe(0);
  expect(seed.run(['add', '=cmd', '--username', '@me'], { input: FORMULA.join('\n') }).status).toBe(0);
  expect(seed.run(['spend', 'github,work', GH[1]!]).status).toBe(0);
});
afterAll(() => seed.cleanup());

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  fs.cpSync(path.dirname(seed.vault), path.dirname(box.vault), { recursive: true });
});
afterEach(() => box.cleanup());

/** The vault's content as `export --plaintext --format json` prints it. */
function jsonOf(vault?: string): string {
  const run = box.run([...(vault ? ['--vault', vault] : []), 'export', '--plaintext', '--format', 'json']);
  expect(run.status).toBe(0);
  return run.stdout;
}

/**
 * The facts of a JSON export: what an import carries over. The logical times (clock, stamps, batch
 * order) are the importing vault's own: an import never trusts an export's (issue 11).
 */
function factsOf(json: string): unknown {
  const content = JSON.parse(json) as { accounts: Record<string, unknown>[]; tombstones: unknown[] };
  return {
    accounts: content.accounts.map(({ stamps: _stamps, batches, ...account }) => ({
      ...account,
      batches: (batches as Record<string, unknown>[]).map(({ seq: _seq, ...batch }) => batch),
    })),
    tombstones: content.tombstones,
  };
}

/** A second, empty vault in the same sandbox: the "wiped" machine. */
function freshVault(name = 'fresh.lifeboat'): string {
  const vault = path.join(box.dir, name);
  expect(box.run(['--vault', vault, 'init']).status).toBe(0);
  return vault;
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function expectNoStackTrace(run: Run): void {
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('export and import round trip', () => {
  it('an encrypted export, imported into a fresh vault, gives the same accounts, batches, codes and spent marks', () => {
    const original = jsonOf();
    const file = path.join(box.dir, 'backup.lifeboat');
    const exported = box.run(['export', '--out', file], withExportPassphrase);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toBe('');
    expect(talk(exported)).toContain(`lifeboat: wrote an encrypted copy of 3 accounts to ${file} (mode 600, key derivation: 8 KiB, 1 pass)`);
    expect(exported.stderr).toContain('it opens with the passphrase you gave for the export');
    expect(bytesOf(file)!.subarray(0, 8).toString('ascii')).toBe('LIFEBOAT');
    expect(modeOf(file)).toBe(0o600);
    // The copy does not open with the vault's passphrase.
    expect(box.run(['--vault', file, 'list']).status).toBe(3);
    expect(box.run(['--vault', file, 'list'], { env: { LIFEBOAT_PASSPHRASE: EXPORT_PASSPHRASE } }).status).toBe(0);

    const fresh = freshVault();
    const imported = box.run(['--vault', fresh, 'import', file], withExportPassphrase);
    expect(imported.status).toBe(0);
    expect(talk(imported)).toContain(`lifeboat: imported ${file}: 3 accounts added, 0 merged, 4 batches added, 0 codes newly marked spent, 0 skipped`);
    expect(factsOf(jsonOf(fresh))).toEqual(factsOf(original));
  });

  it('a JSON export, imported into a fresh vault, gives the same content; the JSON is exactly contentToJson + newline', () => {
    const stdout = box.run(['export', '--plaintext', '--format', 'json']);
    expect(stdout.status).toBe(0);
    expect(stdout.stderr).toContain(PLAINTEXT_WARNING);
    const parsed = JSON.parse(stdout.stdout);
    expect(stdout.stdout).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    expect(Object.keys(parsed)).toEqual(['version', 'clock', 'accounts', 'tombstones']);
    expect(parsed.accounts.map((a: { name: string }) => a.name)).toEqual(['instagram', 'github,work', '=cmd']);

    const file = path.join(box.dir, 'codes.json');
    fs.writeFileSync(file, stdout.stdout, { mode: 0o600 });
    const fresh = freshVault();
    const imported = box.run(['--vault', fresh, 'import', file]);
    expect(imported.status).toBe(0);
    expect(imported.stderr).toContain(`${file} holds every code in plain text: delete it once you no longer need it`);
    expect(factsOf(jsonOf(fresh))).toEqual(factsOf(stdout.stdout));
  });

  it('importing the same export twice changes nothing the second time, and says so', () => {
    const file = path.join(box.dir, 'backup.lifeboat');
    expect(box.run(['export', '--out', file], withExportPassphrase).status).toBe(0);
    const fresh = freshVault();
    expect(box.run(['--vault', fresh, 'import', file], withExportPassphrase).status).toBe(0);
    const before = bytesOf(fresh);
    const again = box.run(['--vault', fresh, 'import', file], withExportPassphrase);
    expect(again.status).toBe(0);
    expect(talk(again)).toEqual([`lifeboat: nothing new in ${file}: the vault already holds all of it, so nothing was changed`]);
    expect(bytesOf(fresh)).toEqual(before);
    // Into the vault it came from: nothing new either.
    const home = bytesOf(box.vault);
    expect(talk(box.run(['import', file], withExportPassphrase))[0]).toContain('nothing new');
    expect(bytesOf(box.vault)).toEqual(home);
  });

  it('merges spent marks forward both ways and never unspends', () => {
    const file = path.join(box.dir, 'backup.lifeboat');
    expect(box.run(['export', '--out', file], withExportPassphrase).status).toBe(0);
    const copy = freshVault();
    expect(box.run(['--vault', copy, 'import', file], withExportPassphrase).status).toBe(0);
    // The copy spends another instagram code; meanwhile the original spends a code of =cmd.
    expect(box.run(['--vault', copy, 'use', 'instagram']).status).toBe(0);
    expect(box.run(['spend', '=cmd', FORMULA[0]!]).status).toBe(0);
    const copyExport = path.join(box.dir, 'copy.lifeboat');
    expect(box.run(['--vault', copy, 'export', '--out', copyExport], withExportPassphrase).status).toBe(0);

    const run = box.run(['import', copyExport], withExportPassphrase);
    expect(run.status).toBe(0);
    expect(talk(run)).toContain(`lifeboat: imported ${copyExport}: 0 accounts added, 1 merged, 0 batches added, 1 code newly marked spent, 0 skipped`);
    const show = JSON.parse(box.run(['show', 'instagram', '--json']).stdout);
    expect(show.codes.map((c: { state: string }) => c.state)).toEqual(['spent', 'spent', 'unspent', 'unspent']);
    // The =cmd code spent here, unspent in the copy, stays spent.
    const cmd = JSON.parse(box.run(['show', '=cmd', '--json']).stdout);
    expect(cmd.codes.map((c: { state: string }) => c.state)).toEqual(['spent', 'unspent']);
  });

  it('an account removed here is skipped, reported, and not brought back', () => {
    const file = path.join(box.dir, 'backup.lifeboat');
    expect(box.run(['export', '--out', file], withExportPassphrase).status).toBe(0);
    expect(box.run(['remove', 'github,work', '--yes']).status).toBe(0);
    const before = bytesOf(box.vault);
    const run = box.run(['import', file], withExportPassphrase);
    expect(run.status).toBe(0);
    expect(talk(run)).toEqual([
      `lifeboat: nothing new in ${file}: the vault already holds all of it, so nothing was changed`,
      'lifeboat: skipped 1 account removed from this vault: github,work',
      `lifeboat: to restore it, run \`lifeboat import ${file} --restore-removed\` (or run it on a terminal to be asked)`,
    ]);
    expect(bytesOf(box.vault)).toEqual(before);
    expect(box.run(['show', 'github,work']).status).toBe(4);
  });

  // Issue 9: removing says how to get the account back, and import offers to restore it.
  it('remove says an export holds the account; import --restore-removed brings it back as a new account', () => {
    const file = path.join(box.dir, 'backup.lifeboat');
    const before = JSON.parse(box.run(['show', 'github,work', '--json']).stdout) as { codes: unknown[] };
    expect(box.run(['export', '--out', file], withExportPassphrase).status).toBe(0);
    const removed = box.run(['remove', 'github,work', '--yes']);
    expect(removed.status).toBe(0);
    expect(talk(removed)).toEqual([
      'lifeboat: removed github,work',
      expect.stringMatching(/^lifeboat: the encrypted export written \d{4}-\d\d-\d\d \d\d:\d\d UTC still holds it: `lifeboat import FILE` offers to bring it back$/),
    ]);
    const run = box.run(['import', file, '--restore-removed'], withExportPassphrase);
    expect(run.status).toBe(0);
    expect(talk(run)[0]).toBe(`lifeboat: imported ${file}: 1 account added, 0 merged, 1 batch added, 0 codes newly marked spent, 0 skipped`);
    expect(JSON.parse(box.run(['show', 'github,work', '--json']).stdout)).toEqual(before);
    // Once restored, it stays: importing the same file again finds nothing new.
    expect(talk(box.run(['import', file], withExportPassphrase))[0]).toMatch(/^lifeboat: nothing new in /);
  });

  it('remove without a known export says it is gone', () => {
    const removed = box.run(['remove', 'github,work', '--yes']);
    expect(talk(removed)).toEqual([
      'lifeboat: removed github,work',
      'lifeboat: no encrypted export made since github,work was added is known: it is gone unless you kept another copy',
    ]);
  });
});

describe('lifeboat export --plaintext --format csv', () => {
  it('prints one row per code under a header, RFC 4180 quoting, formula cells defused, codes untouched', () => {
    const run = box.run(['export', '--plaintext', '--format', 'csv']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(PLAINTEXT_WARNING);
    const lines = run.stdout.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('account,service,username,note,batch,batch_added,batch_state,superseded_at,position,code,state,spent_at');
    expect(lines).toHaveLength(1 + IG_NEW.length + IG_OLD.length + GH.length + FORMULA.length);
    const iso = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    const id = '[0-9a-f]{32}';
    // instagram: the active batch first, its first code spent; then the superseded one.
    expect(lines[1]).toMatch(new RegExp(`^instagram,,,,${id},${iso},active,,1,${IG_NEW[0]},spent,${iso}$`));
    expect(lines[2]).toMatch(new RegExp(`^instagram,,,,${id},${iso},active,,2,${IG_NEW[1]},unspent,$`));
    expect(lines[5]).toMatch(new RegExp(`^instagram,,,,${id},${iso},superseded,${iso},1,${IG_OLD[0]},unspent,$`));
    // A name with a comma is quoted.
    expect(lines[8]).toMatch(new RegExp(`^"github,work",,,,${id},${iso},active,,1,${GH[0]},unspent,$`));
    expect(lines[9]).toMatch(new RegExp(`^"github,work",,,,${id},${iso},active,,2,${GH[1]},spent,${iso}$`));
    // A name starting with = and a username starting with @ get a leading quote mark.
    expect(lines[10]).toMatch(new RegExp(`^'=cmd,,'@me,,${id},${iso},active,,1,${FORMULA[0]},unspent,$`));
  });

  it('CSV is for leaving: import refuses it with exit 1', () => {
    const file = path.join(box.dir, 'codes.csv');
    fs.writeFileSync(file, box.run(['export', '--plaintext', '--format', 'csv']).stdout);
    const before = bytesOf(box.vault);
    const run = box.run(['import', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('a CSV export cannot be imported');
    expect(run.stderr).not.toContain(GH[0]!);
    expect(bytesOf(box.vault)).toEqual(before);
  });
});

describe('--out files', () => {
  it('a plain-text export to --out is 0600, says where it went, and warns', () => {
    for (const format of ['json', 'csv']) {
      const file = path.join(box.dir, `codes.${format}`);
      const run = box.run(['export', '--plaintext', '--format', format, '--out', file]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(PLAINTEXT_WARNING);
      expect(run.stderr).toContain(`to ${file} (mode 600)`);
      expect(modeOf(file)).toBe(0o600);
    }
    expect(fs.readFileSync(path.join(box.dir, 'codes.json'), 'utf8')).toBe(jsonOf());
  });

  it('an existing --out file is refused without --force and left unchanged; --force replaces it', () => {
    const file = path.join(box.dir, 'existing.txt');
    fs.writeFileSync(file, 'keep me\n', { mode: 0o644 });
    for (const args of [['export', '--out', file], ['export', '--plaintext', '--out', file]]) {
      const run = box.run(args, withExportPassphrase);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`lifeboat: error: ${file} already exists: nothing was written`);
      expect(run.stderr).toContain('lifeboat: hint: choose another --out file, or add --force to replace it');
      expect(fs.readFileSync(file, 'utf8')).toBe('keep me\n');
    }
    const forced = box.run(['export', '--out', file, '--force'], withExportPassphrase);
    expect(forced.status).toBe(0);
    expect(bytesOf(file)!.subarray(0, 8).toString('ascii')).toBe('LIFEBOAT');
    expect(modeOf(file)).toBe(0o600);
  });

  it('never writes through a symlink: refused without --force; with --force the link itself is replaced', () => {
    const target = path.join(box.dir, 'target.txt');
    fs.writeFileSync(target, 'the link points here\n');
    const link = path.join(box.dir, 'link.json');
    fs.symlinkSync(target, link);
    const refused = box.run(['export', '--plaintext', '--out', link]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already exists');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);

    const forced = box.run(['export', '--plaintext', '--out', link, '--force']);
    expect(forced.status).toBe(0);
    expect(fs.readFileSync(target, 'utf8')).toBe('the link points here\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(false);
    expect(modeOf(link)).toBe(0o600);
    expect(fs.readFileSync(link, 'utf8')).toBe(jsonOf());
  });

  it('a dangling symlink counts as existing too, for an encrypted export', () => {
    const link = path.join(box.dir, 'dangling.lifeboat');
    const nowhere = path.join(box.dir, 'nowhere.lifeboat');
    fs.symlinkSync(nowhere, link);
    const run = box.run(['export', '--out', link], withExportPassphrase);
    expect(run.status).toBe(1);
    expect(fs.existsSync(nowhere)).toBe(false);
    expect(fs.readdirSync(box.dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});

describe('usage errors (exit 2)', () => {
  it('neither --out nor --plaintext: a hint naming both', () => {
    const run = box.run(['export']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('lifeboat: error: export needs --out FILE (an encrypted copy) or --plaintext (every code in the clear)');
    expect(run.stderr).toMatch(/lifeboat: hint: .*--out FILE.*--plaintext/);
  });

  it.each(['csv', 'json'])('--format %s without --plaintext', (format) => {
    const file = path.join(box.dir, `codes.${format}`);
    const run = box.run(['export', '--format', format, '--out', file], withExportPassphrase);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--format needs --plaintext');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('an unknown format', () => {
    expect(box.run(['export', '--plaintext', '--format', 'xml']).status).toBe(2);
  });

  it('an encrypted export with no new passphrase and no terminal names the variables', () => {
    const file = path.join(box.dir, 'backup.lifeboat');
    const run = box.run(['export', '--out', file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('set LIFEBOAT_NEW_PASSPHRASE, LIFEBOAT_NEW_PASSPHRASE_FILE or LIFEBOAT_NEW_PASSPHRASE_COMMAND');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('import without a file', () => {
    expect(box.run(['import']).status).toBe(2);
  });
});

describe('import refusals: clear message, documented status, vault byte-identical', () => {
  let file: string;
  let before: Buffer | null;
  beforeEach(() => {
    file = path.join(box.dir, 'backup.lifeboat');
    expect(box.run(['export', '--out', file], withExportPassphrase).status).toBe(0);
    before = bytesOf(box.vault);
  });

  it('a wrong export passphrase: exit 3', () => {
    const run = box.run(['import', file], { env: { LIFEBOAT_NEW_PASSPHRASE: 'not the one' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`lifeboat: error: wrong passphrase for the export ${file}`);
    expect(run.stderr).toContain('LIFEBOAT_NEW_PASSPHRASE');
    expect(run.stderr).not.toContain('not the one');
    expectNoStackTrace(run);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('the export\'s passphrase from LIFEBOAT_NEW_PASSPHRASE_FILE', () => {
    const pass = path.join(box.dir, 'export-pass.txt');
    fs.writeFileSync(pass, `${EXPORT_PASSPHRASE}\n`);
    const fresh = freshVault();
    expect(box.run(['--vault', fresh, 'import', file], { env: { LIFEBOAT_NEW_PASSPHRASE_FILE: pass } }).status).toBe(0);
  });

  it('no export passphrase and no terminal: exit 2 naming the variables', () => {
    const run = box.run(['import', file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('set LIFEBOAT_NEW_PASSPHRASE');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a damaged export: exit 3', () => {
    const bytes = bytesOf(file)!;
    bytes[bytes.length - 5]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const run = box.run(['import', file], withExportPassphrase);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`lifeboat: error: the export ${file} is damaged or was tampered with`);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('malformed JSON: exit 1, without quoting the file', () => {
    const bad = path.join(box.dir, 'bad.json');
    fs.writeFileSync(bad, `{"accounts": [{"name": "x", "codes": ["${GH[0]} SECRETWORD`);
    const run = box.run(['import', bad]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`lifeboat: error: ${bad} is not a lifeboat export`);
    expect(run.stderr).not.toContain('SECRETWORD');
    expect(run.stderr).not.toContain(GH[0]!);
    expectNoStackTrace(run);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('JSON that is not an export: exit 1, naming the place but not the content', () => {
    const bad = path.join(box.dir, 'wrong-shape.json');
    const content = JSON.parse(jsonOf());
    content.accounts[1].batches[0].codes[0].spentAt = 'SECRETWORD';
    fs.writeFileSync(bad, JSON.stringify(content));
    const run = box.run(['import', bad]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`lifeboat: error: ${bad} is not a valid lifeboat JSON export: account 2 batch 1 code 1 spentAt is not a UTC time`);
    expect(run.stderr).not.toContain('SECRETWORD');
    expect(bytesOf(box.vault)).toEqual(before);

    content.accounts[1].batches[0].codes[0].spentAt = null;
    content.accounts[1].name = 'INSTAGRAM';
    fs.writeFileSync(bad, JSON.stringify(content));
    const duplicate = box.run(['import', bad]);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain(`${bad} is not a valid lifeboat JSON export: account 2 has the same name as another account`);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a missing file: exit 1', () => {
    const run = box.run(['import', path.join(box.dir, 'nope.json')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot read ${path.join(box.dir, 'nope.json')}: no such file`);
    expect(run.stderr).toContain('lifeboat: hint: check the path');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a wrong vault passphrase: exit 3, nothing written', () => {
    const run = box.run(['import', file], { env: { LIFEBOAT_NEW_PASSPHRASE: EXPORT_PASSPHRASE, LIFEBOAT_PASSPHRASE: 'wrong' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('wrong passphrase');
    expect(bytesOf(box.vault)).toEqual(before);
  });
});
