// End-to-end: `lifeboat merge` and the conflict copies beside the vault (issue 8, "Commands").
// What these tests assume of the merge rules is only what every version of them promises: a batch or an
// account one side added comes in, and a code spent on either side is spent after the merge.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCrypto, parseHeader } from '../../src/vault/index.js';
import { FS_SHIM } from '../proof/support.js';
import { PASSPHRASE, bytesOf, instagramCodes, sandbox, type Run, type Sandbox } from '../support/cli.js';

const OTHER = 'the passphrase of the other device';
const SYNCTHING_COPY = 'vault.sync-conflict-20261202-101500-ABCDEF1.lifeboat';

let box: Sandbox;
let other: string;

function ok(run: Run): Run {
  if (run.status !== 0) throw new Error(`exit ${run.status}: ${run.stderr}`);
  return run;
}

/** Runs a command on the other device's copy, as that device: with a home of its own (per-device state lives there). */
function onOther(args: readonly string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Run {
  const home = path.join(box.dir, 'home-other');
  fs.mkdirSync(home, { recursive: true });
  return box.run(args, { ...options, env: { LIFEBOAT_VAULT: other, HOME: home, ...options.env } });
}

interface ShownCode {
  code: string;
  state: string;
}

function codes(vault: string, account: string, passphrase = PASSPHRASE): ShownCode[] {
  const run = ok(box.run(['show', account, '--json'], { env: { LIFEBOAT_VAULT: vault, LIFEBOAT_PASSPHRASE: passphrase } }));
  return (JSON.parse(run.stdout) as { codes: ShownCode[] }).codes;
}

function accounts(vault: string, passphrase = PASSPHRASE): string[] {
  const run = ok(box.run(['list', '--json'], { env: { LIFEBOAT_VAULT: vault, LIFEBOAT_PASSPHRASE: passphrase } }));
  return (JSON.parse(run.stdout) as { name: string }[]).map((account) => account.name).sort();
}

const INSTA = instagramCodes(6, 1);
const GITHUB = instagramCodes(6, 2);

beforeEach(() => {
  box = sandbox();
  ok(box.run(['init']));
  ok(box.run(['add', 'insta', '--yes'], { input: `${INSTA.join('\n')}\n` }));
  other = path.join(box.dir, 'other', 'vault.lifeboat');
  fs.mkdirSync(path.dirname(other), { mode: 0o700 });
  fs.copyFileSync(box.vault, other);
  // While apart: this device uses a code; the other spends another one and adds a batch for a new account.
  ok(box.run(['use', 'insta']));
  ok(onOther(['spend', 'insta', INSTA[3]!]));
  ok(onOther(['add', 'github', '--yes'], { input: `${GITHUB.join('\n')}\n` }));
});
afterEach(() => box.cleanup());

/** Asserts that the vault holds both sides' changes. */
function expectBothSides(vault: string, passphrase = PASSPHRASE): void {
  expect(accounts(vault, passphrase)).toEqual(['github', 'insta']);
  const insta = codes(vault, 'insta', passphrase);
  expect(insta.filter((c) => c.state === 'spent').map((c) => c.code)).toEqual([INSTA[0], INSTA[3]]);
  expect(codes(vault, 'github', passphrase).map((c) => c.code)).toEqual(GITHUB);
}

describe('lifeboat merge OTHER', { timeout: 120_000 }, () => {
  it('brings in what the other copy has and says what came in; the other copy is not touched', () => {
    const before = bytesOf(other);
    const run = ok(box.run(['merge', other]));
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`lifeboat: merged ${other}: 1 account added (github), 1 batch added, 1 code marked spent`);
    expect(run.stderr).toContain("kept this vault's passphrase and key derivation");
    expectBothSides(box.vault);
    expect(bytesOf(other)).toEqual(before);
    // Merging again changes nothing, and says so.
    const again = ok(box.run(['merge', other]));
    expect(again.stderr).toContain('nothing new');
    expect(again.stderr).toContain('nothing was changed');
  });

  it('--dry-run prints the same report and writes nothing', () => {
    const before = bytesOf(box.vault);
    const run = ok(box.run(['merge', other, '--dry-run']));
    expect(run.stderr).toContain(`lifeboat: would merge ${other}: 1 account added (github), 1 batch added, 1 code marked spent`);
    expect(run.stderr).toContain('dry run: nothing was written');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('--json prints the report on stdout', () => {
    const run = ok(box.run(['merge', other, '--json']));
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ file: other, dryRun: false, accountsAdded: ['github'], batchesAdded: 1, codesSpent: 1, changed: true, costRaised: false });
    expectBothSides(box.vault);
  });

  it('a copy with another passphrase and a stronger cost: asks for its passphrase, keeps ours, takes the stronger cost', async () => {
    await loadCrypto();
    ok(onOther(['passwd', '--kdf-memory', '19', '--kdf-passes', '2'], { env: { LIFEBOAT_NEW_PASSPHRASE: OTHER } }));
    const before = bytesOf(box.vault);
    // No passphrase for it and no terminal to ask on: refused, nothing written.
    const refused = box.run(['merge', other]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('lifeboat: error: no passphrase of the other copy given and no terminal to ask on');
    expect(refused.stderr).toContain('LIFEBOAT_OTHER_PASSPHRASE');
    const wrong = box.run(['merge', other], { env: { LIFEBOAT_OTHER_PASSPHRASE: 'not it' } });
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain(`lifeboat: error: wrong passphrase for the other copy ${other}`);
    expect(bytesOf(box.vault)).toEqual(before);

    const secretFile = path.join(box.dir, 'other-passphrase.txt');
    fs.writeFileSync(secretFile, `${OTHER}\n`, { mode: 0o600 });
    const run = ok(box.run(['merge', other], { env: { LIFEBOAT_OTHER_PASSPHRASE_FILE: secretFile } }));
    expect(run.stderr).toContain('raised the key derivation to 19 MiB, 2 passes, the stronger of the two copies');
    expectBothSides(box.vault);
    expect(parseHeader(new Uint8Array(fs.readFileSync(box.vault))).cost).toEqual({ memoryKiB: 19 * 1024, passes: 2 });
    expect(box.run(['list'], { env: { LIFEBOAT_PASSPHRASE: OTHER } }).status).toBe(3);
  });

  it('refuses without a file or with the vault itself', () => {
    expect(box.run(['merge']).status).toBe(2);
    const self = box.run(['merge', box.vault]);
    expect(self.status).toBe(2);
    expect(self.stderr).toContain('is the vault itself');
    const missing = box.run(['merge', path.join(box.dir, 'nope.lifeboat')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('lifeboat: error: no file at');
  });
});

describe('conflict copies beside the vault', { timeout: 120_000 }, () => {
  let copy: string;
  beforeEach(() => {
    copy = path.join(path.dirname(box.vault), SYNCTHING_COPY);
    fs.copyFileSync(other, copy);
  });

  it('a read-only command leaves them and says how to merge them', () => {
    const before = bytesOf(box.vault);
    const run = ok(box.run(['list']));
    expect(run.stderr).toContain(`lifeboat: warning: a conflict copy of the vault from a sync tool is beside it (${SYNCTHING_COPY}): run \`lifeboat merge --conflicts\``);
    expect(fs.existsSync(copy)).toBe(true);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a command that writes merges them in its save and removes them once the vault is durable', () => {
    const run = ok(box.run(['use', 'insta']));
    expect(run.stderr).toContain(`lifeboat: merged the syncthing conflict copy ${SYNCTHING_COPY}: 1 account added (github), 1 batch added, 1 code marked spent; removed the copy`);
    // The code handed out is the next one unspent on both devices: not the one spent on the other device.
    expect(run.stdout).toBe(`${INSTA[1]}\n`);
    expect(fs.existsSync(copy)).toBe(false);
    expect(accounts(box.vault)).toEqual(['github', 'insta']);
    expect(codes(box.vault, 'insta').filter((c) => c.state === 'spent').map((c) => c.code)).toEqual([INSTA[0], INSTA[1], INSTA[3]]);
  });

  it('lifeboat merge --conflicts merges them, --dry-run only says so', () => {
    const dry = ok(box.run(['merge', '--conflicts', '--dry-run']));
    expect(dry.stderr).toContain(`would merge the syncthing conflict copy ${SYNCTHING_COPY}: 1 account added (github)`);
    expect(fs.existsSync(copy)).toBe(true);
    const run = ok(box.run(['merge', '--conflicts', '--json']));
    expect(run.stderr.split('merged the syncthing conflict copy').length).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ merged: [{ file: copy, tool: 'syncthing', accountsAdded: ['github'] }], left: [] });
    expect(fs.existsSync(copy)).toBe(false);
    expectBothSides(box.vault);
    expect(ok(box.run(['merge', '--conflicts'])).stderr).toContain('no conflict copies beside the vault');
  });

  it('a copy with another passphrase is left where it is, with a message; merge --conflicts takes its passphrase', () => {
    ok(onOther(['passwd'], { env: { LIFEBOAT_NEW_PASSPHRASE: OTHER } }));
    fs.copyFileSync(other, copy);
    const before = bytesOf(copy);
    const run = ok(box.run(['use', 'insta']));
    expect(run.stderr).toContain(`lifeboat: warning: left the conflict copy ${copy} where it is: it does not open with this passphrase`);
    expect(run.stderr).toContain('lifeboat merge --conflicts');
    expect(bytesOf(copy)).toEqual(before);
    // Without its passphrase (and no terminal to ask on) it stays, and the exit status says so.
    const refused = box.run(['merge', '--conflicts']);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('lifeboat: error: a conflict copy was left where it is, unmerged');
    expect(bytesOf(copy)).toEqual(before);
    ok(box.run(['merge', '--conflicts'], { env: { LIFEBOAT_OTHER_PASSPHRASE: OTHER } }));
    expect(fs.existsSync(copy)).toBe(false);
    expectBothSidesPlus(box.vault, [INSTA[0]!, INSTA[1]!, INSTA[3]!]);
  });

  it('a damaged copy is left alone, with a message, and never removed', () => {
    const bytes = fs.readFileSync(other);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01;
    fs.writeFileSync(copy, bytes);
    const run = ok(box.run(['use', 'insta']));
    expect(run.stderr).toContain(`lifeboat: warning: left the conflict copy ${copy} where it is: it is damaged or was tampered with`);
    expect(bytesOf(copy)).toEqual(bytes);
    const merge = box.run(['merge', '--conflicts']);
    expect(merge.status).toBe(3);
    expect(merge.stderr).toContain('lifeboat: error: a conflict copy was left where it is, unmerged');
    expect(bytesOf(copy)).toEqual(bytes);
    expect(accounts(box.vault)).toEqual(['insta']);
  });

  it('a crash during a conflict merge loses nothing: the copy stays until the merged vault is durable', () => {
    const shim = { NODE_OPTIONS: `--import ${FS_SHIM}` };
    const vaultBefore = bytesOf(box.vault);
    const copyBefore = bytesOf(copy);
    // Killed just before the rename of the merged vault: the vault and the copy are as they were.
    const first = box.run(['use', 'insta'], { env: { ...shim, LIFEBOAT_TEST_FS_KILL: 'rename:1' } });
    expect(first.status).toBeNull();
    expect(bytesOf(box.vault)).toEqual(vaultBefore);
    expect(bytesOf(copy)).toEqual(copyBefore);
    // Killed just before the copy is removed: the merged vault is saved and the copy is still there.
    const second = box.run(['use', 'insta'], { env: { ...shim, LIFEBOAT_TEST_FS_KILL: 'unlink-other:1' } });
    expect(second.status).toBeNull();
    expect(bytesOf(copy)).toEqual(copyBefore);
    expect(fs.readdirSync(path.dirname(box.vault)).filter((name) => name.includes('.tmp-'))).toEqual([]);
    // The next command merges it again, to the same result, and removes it.
    ok(box.run(['spend', 'insta', INSTA[5]!]));
    expect(fs.existsSync(copy)).toBe(false);
    expectBothSidesPlus(box.vault, [INSTA[0]!, INSTA[1]!, INSTA[3]!, INSTA[5]!]);
  });
});

function expectBothSidesPlus(vault: string, spent: readonly string[]): void {
  expect(accounts(vault)).toEqual(['github', 'insta']);
  expect(codes(vault, 'insta').filter((c) => c.state === 'spent').map((c) => c.code)).toEqual(spent);
}
