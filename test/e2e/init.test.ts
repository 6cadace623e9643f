// End-to-end: `lifeboat init` (issue: Core, "The vault").
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, sandbox, talk, type Sandbox } from '../support/cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

describe('lifeboat init', () => {
  it('creates a 0600 vault and its backup in a new 0700 folder', () => {
    const run = box.run(['init']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`created ${box.vault}`);
    expect(fs.statSync(path.dirname(box.vault)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(box.vault).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${box.vault}.backup`).mode & 0o777).toBe(0o600);
    expect(bytesOf(`${box.vault}.backup`)).toEqual(bytesOf(box.vault));
    expect(bytesOf(box.vault)?.subarray(0, 8).toString('latin1')).toBe('LIFEBOAT');
  });

  it('says on stderr that the test-only key-derivation hook is active', () => {
    const run = box.run(['init']);
    expect(run.stderr).toMatch(/LIFEBOAT_INSECURE_TEST_KDF is set.*tests only/);
  });

  it('refuses to overwrite an existing vault and leaves it byte-identical', () => {
    expect(box.run(['init']).status).toBe(0);
    const before = bytesOf(box.vault);
    const run = box.run(['init']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('a vault already exists');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('never chmods an existing folder, and warns when others can read it', () => {
    const folder = path.dirname(box.vault);
    fs.mkdirSync(folder, { mode: 0o755 });
    fs.chmodSync(folder, 0o755);
    const run = box.run(['init']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/can be read by other users/);
    expect(fs.statSync(folder).mode & 0o777).toBe(0o755);
  });

  it('refuses a key-derivation cost below the floor or above the cap (exit 2), creating nothing', () => {
    for (const args of [['--kdf-memory', '8'], ['--kdf-passes', '1'], ['--kdf-memory', '2048'], ['--kdf-passes', '21']]) {
      const run = box.run(['init', ...args], { cheapKdf: false });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/lifeboat: error: a key-derivation cost (below|above)/);
      expect(fs.existsSync(box.vault)).toBe(false);
    }
  });

  it('rejects a malformed cost option as bad usage', () => {
    const run = box.run(['init', '--kdf-memory', 'lots']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("option '--kdf-memory <MiB>' argument 'lots' is invalid");
  });

  it('creates a vault at the default cost (64 MiB, 3 passes) that then opens', () => {
    const run = box.run(['init'], { cheapKdf: false });
    expect(run.status).toBe(0);
    expect(talk(run)[0]).toContain('key derivation: 64 MiB, 3 passes');
    const list = box.run(['list'], { cheapKdf: false });
    expect(list.status).toBe(0);
    // Issue 9: "no accounts yet" is talk, so it goes to stderr; stdout stays data (empty).
    expect(list.stdout).toBe('');
    expect(list.stderr).toBe('lifeboat: no accounts yet: add one with `lifeboat add <account> < codes.txt`\n');
    const header = bytesOf(box.vault)!;
    expect(header.readUInt32BE(11)).toBe(3);
    expect(header.readUInt32BE(15)).toBe(64 * 1024);
  });

  it('uses the data folder under XDG_DATA_HOME when no vault path is given', () => {
    const run = box.run(['init'], { env: { LIFEBOAT_VAULT: undefined, XDG_DATA_HOME: path.join(box.dir, 'xdg') } });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(box.dir, 'xdg', 'lifeboat', 'vault.lifeboat'))).toBe(true);
  });

  it('prefers --vault over LIFEBOAT_VAULT', () => {
    const other = path.join(box.dir, 'other.lifeboat');
    expect(box.run(['--vault', other, 'init']).status).toBe(0);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.existsSync(box.vault)).toBe(false);
  });

  it('never replaces the backup of an earlier vault at the same path', () => {
    expect(box.run(['init']).status).toBe(0);
    const backup = bytesOf(`${box.vault}.backup`);
    fs.rmSync(box.vault);
    const run = box.run(['init']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`the backup of an earlier vault is at ${box.vault}.backup`);
    expect(run.stderr).toContain('lifeboat restore-backup');
    expect(bytesOf(`${box.vault}.backup`)).toEqual(backup);
    expect(fs.existsSync(box.vault)).toBe(false);
  });

  it('saves a vault reached through a symlink beside its target, keeping the link', () => {
    expect(box.run(['init']).status).toBe(0);
    const link = path.join(box.dir, 'link.lifeboat');
    fs.symlinkSync(box.vault, link);
    const run = box.run(['--vault', link, 'add', 'ig'], { input: '1234 5678\n2345 6789\n' });
    expect(run.status).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(`${link}.backup`)).toBe(false);
    expect(box.run(['show', 'ig']).status).toBe(0);
  });
});
