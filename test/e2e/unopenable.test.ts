// End-to-end: a vault that cannot be opened (exit 3), each cause with its own message, nothing written.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, namesIn, sandbox, type Sandbox } from '../support/cli.js';
import path from 'node:path';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
});
afterEach(() => box.cleanup());

function expectUntouched(before: Buffer | null, run: { stderr: string }): void {
  expect(bytesOf(box.vault)).toEqual(before);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(namesIn(path.dirname(box.vault)).filter((name) => name.includes('.tmp-') || name.endsWith('.lock'))).toEqual([]);
}

describe('a vault that cannot be opened', () => {
  it('wrong passphrase: its own message, exit 3, for reads and writes', () => {
    const before = bytesOf(box.vault);
    for (const args of [['list'], ['use', 'ig']]) {
      const run = box.run(args, { env: { LIFEBOAT_PASSPHRASE: 'not it' } });
      expect(run.status).toBe(3);
      expect(run.stderr).toContain('lifeboat: error: wrong passphrase');
      expect(run.stdout).toBe('');
      expectUntouched(before, run);
    }
  });

  it('damaged ciphertext: "damaged or was tampered with", naming the backup', () => {
    const bytes = bytesOf(box.vault)!;
    bytes[bytes.length - 20]! ^= 0x01;
    fs.writeFileSync(box.vault, bytes);
    const run = box.run(['use', 'ig']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`the vault is damaged or was tampered with (a backup is at ${box.vault}.backup)`);
    expect(run.stderr).toContain('lifeboat restore-backup');
    expectUntouched(bytes, run);
  });

  it('a changed header byte is detected as damage before any key derivation', () => {
    const bytes = bytesOf(box.vault)!;
    bytes[25]! ^= 0x80; // inside the salt
    fs.writeFileSync(box.vault, bytes);
    const run = box.run(['list']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('damaged or was tampered with');
    expectUntouched(bytes, run);
  });

  it('not a lifeboat vault', () => {
    fs.writeFileSync(box.vault, 'hello, I am a text file\n');
    const before = bytesOf(box.vault);
    const run = box.run(['list']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('this file is not a lifeboat vault');
    expectUntouched(before, run);
  });

  it('an unsupported version', () => {
    const bytes = bytesOf(box.vault)!;
    bytes.writeUInt16BE(2, 8);
    fs.writeFileSync(box.vault, bytes);
    const run = box.run(['list']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('format version 2, which this lifeboat cannot read');
    expectUntouched(bytes, run);
  });

  it('restore-backup brings the backup back over a damaged vault', () => {
    const good = bytesOf(box.vault)!;
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 0xff;
    fs.writeFileSync(box.vault, bad);
    const refused = box.run(['restore-backup']);
    expect(refused.status).toBe(2);
    expect(bytesOf(box.vault)).toEqual(bad);
    const run = box.run(['restore-backup', '--yes']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('restored');
    expect(bytesOf(box.vault)).toEqual(good);
    expect(box.run(['use', 'ig']).stdout).toBe('1111 2222\n');
  });

  it('restore-backup refuses a backup the passphrase does not open', () => {
    const before = bytesOf(box.vault);
    const run = box.run(['restore-backup', '--yes'], { env: { LIFEBOAT_PASSPHRASE: 'not it' } });
    expect(run.status).toBe(3);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('no vault at all: exit 1 with a hint to init', () => {
    const run = box.run(['--vault', path.join(box.dir, 'none.lifeboat'), 'list']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no vault at');
    expect(run.stderr).toContain('lifeboat init');
  });
});
