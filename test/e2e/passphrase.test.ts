// End-to-end: where the passphrase comes from, and `lifeboat passwd` (issue: Core, "Commands").
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSPHRASE, bytesOf, sandbox, type Sandbox } from '../support/cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
});
afterEach(() => box.cleanup());

const only = (extra: Record<string, string>) => ({ LIFEBOAT_PASSPHRASE: undefined, ...extra });

describe('passphrase sources', () => {
  it('LIFEBOAT_PASSPHRASE_FILE: the first line, one trailing newline stripped', () => {
    const file = path.join(box.dir, 'pass.txt');
    fs.writeFileSync(file, `${PASSPHRASE}\nsecond line ignored\n`);
    expect(box.run(['list'], { env: only({ LIFEBOAT_PASSPHRASE_FILE: file }) }).status).toBe(0);
    fs.writeFileSync(file, `${PASSPHRASE}\r\n`);
    expect(box.run(['list'], { env: only({ LIFEBOAT_PASSPHRASE_FILE: file }) }).status).toBe(0);
  });

  it('LIFEBOAT_PASSPHRASE_COMMAND: the first line of its output', () => {
    const file = path.join(box.dir, 'pass.txt');
    fs.writeFileSync(file, `${PASSPHRASE}\n`);
    const run = box.run(['list'], { env: only({ LIFEBOAT_PASSPHRASE_COMMAND: `cat '${file}'` }) });
    expect(run.status).toBe(0);
  });

  it('a failing passphrase command is a clear error (exit 1)', () => {
    const run = box.run(['list'], { env: only({ LIFEBOAT_PASSPHRASE_COMMAND: 'exit 7' }) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the command in LIFEBOAT_PASSPHRASE_COMMAND failed (exit status 7)');
  });

  it('the passphrase command does not inherit any passphrase variable', () => {
    const out = path.join(box.dir, 'env.txt');
    const file = path.join(box.dir, 'pass.txt');
    fs.writeFileSync(file, `${PASSPHRASE}\n`);
    const run = box.run(['passwd'], {
      env: only({ LIFEBOAT_PASSPHRASE_COMMAND: `env > '${out}'; cat '${file}'`, LIFEBOAT_NEW_PASSPHRASE: 'the new one' }),
    });
    expect(run.status).toBe(0);
    const env = fs.readFileSync(out, 'utf8');
    expect(env).not.toMatch(/LIFEBOAT_.*PASSPHRASE/);
    expect(env).not.toContain('the new one');
  });

  it('more than one source set is bad usage', () => {
    const run = box.run(['list'], { env: { LIFEBOAT_PASSPHRASE_FILE: '/dev/null' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('only one of LIFEBOAT_PASSPHRASE, LIFEBOAT_PASSPHRASE_FILE may be set');
  });

  it('none set and no terminal: an error naming the variables', () => {
    const run = box.run(['list'], { env: { LIFEBOAT_PASSPHRASE: undefined } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('set LIFEBOAT_PASSPHRASE, LIFEBOAT_PASSPHRASE_FILE or LIFEBOAT_PASSPHRASE_COMMAND');
  });

  it('an NFD passphrase opens a vault made with its NFC form', () => {
    const nfc = 'Zürich café';
    const other = path.join(box.dir, 'nfc.lifeboat');
    expect(box.run(['--vault', other, 'init'], { env: { LIFEBOAT_PASSPHRASE: nfc } }).status).toBe(0);
    const run = box.run(['--vault', other, 'list'], { env: { LIFEBOAT_PASSPHRASE: nfc.normalize('NFD') } });
    expect(nfc.normalize('NFD')).not.toBe(nfc);
    expect(run.status).toBe(0);
  });
});

describe('lifeboat passwd', () => {
  it('re-encrypts with a new salt: the new passphrase opens it and the backup, the old one no longer does', () => {
    const before = bytesOf(box.vault)!;
    const run = box.run(['passwd'], { env: { LIFEBOAT_NEW_PASSPHRASE: 'a brand new passphrase' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('copies of the vault made by sync tools or snapshots still open with the old passphrase');
    const after = bytesOf(box.vault)!;
    expect(after.subarray(20, 36)).not.toEqual(before.subarray(20, 36));
    const old = box.run(['list']);
    expect(old.status).toBe(3);
    expect(old.stderr).toContain('wrong passphrase');
    expect(box.run(['show', 'ig'], { env: { LIFEBOAT_PASSPHRASE: 'a brand new passphrase' } }).status).toBe(0);
    expect(bytesOf(`${box.vault}.backup`)).toEqual(after);
  });

  it('keeps the same or a stronger cost: a lower one is refused (exit 2)', () => {
    const strong = path.join(box.dir, 'strong.lifeboat');
    expect(box.run(['--vault', strong, 'init', '--kdf-memory', '32', '--kdf-passes', '3'], { cheapKdf: false }).status).toBe(0);
    const before = bytesOf(strong);
    const run = box.run(['--vault', strong, 'passwd', '--kdf-memory', '19', '--kdf-passes', '2'], {
      cheapKdf: false,
      env: { LIFEBOAT_NEW_PASSPHRASE: 'another one' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is lower than the current one');
    expect(bytesOf(strong)).toEqual(before);
  });

  it('raises a vault below the floor to the default cost', () => {
    const run = box.run(['passwd'], { cheapKdf: false, env: { LIFEBOAT_NEW_PASSPHRASE: 'stronger now' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('below the recommended floor');
    expect(run.stderr).toContain('key derivation: 64 MiB, 3 passes');
    const header = bytesOf(box.vault)!;
    expect(header.readUInt32BE(15)).toBe(64 * 1024);
  });
});
