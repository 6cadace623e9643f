// End-to-end: everyday mistakes in the environment (issue 11, finding 9): a passphrase file other users can
// read is warned about, and an empty or relative HOME or XDG_DATA_HOME never puts a vault under the
// current folder (XDG Base Directory Specification: relative paths "should be considered invalid").
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSPHRASE, namesIn, sandbox, talk, type Sandbox } from '../support/cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

describe('LIFEBOAT_PASSPHRASE_FILE', () => {
  it('warns when other users can read the file, and not when it is 0600', () => {
    const file = path.join(box.dir, 'passphrase');
    fs.writeFileSync(file, `${PASSPHRASE}\n`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const env = { LIFEBOAT_PASSPHRASE: undefined, LIFEBOAT_PASSPHRASE_FILE: file };
    const init = box.run(['init'], { env });
    expect(init.status).toBe(0);
    expect(talk(init)).toContain(
      'lifeboat: warning: the passphrase file named by LIFEBOAT_PASSPHRASE_FILE is open to other users (mode 644): run `chmod 600` on it',
    );
    const list = box.run(['list'], { env });
    expect(list.status).toBe(0);
    expect(list.stderr).toContain('is open to other users (mode 644)');
    fs.chmodSync(file, 0o600);
    const quiet = box.run(['list'], { env });
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).not.toContain('open to other users');
  });
});

describe('the default vault location', () => {
  const cwd = (): string => {
    const dir = path.join(box.dir, 'cwd');
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };

  it.each([
    ['HOME empty', { HOME: '', XDG_DATA_HOME: undefined }],
    ['HOME relative', { HOME: 'home', XDG_DATA_HOME: undefined }],
    ['HOME unset', { HOME: undefined, XDG_DATA_HOME: undefined }],
    ['HOME empty, XDG_DATA_HOME relative', { HOME: '', XDG_DATA_HOME: 'data' }],
  ])('%s: init refuses clearly (exit 2) and creates nothing under the current folder', (_, env) => {
    const here = cwd();
    const run = box.run(['init'], { cwd: here, env: { LIFEBOAT_VAULT: undefined, ...env } });
    expect(run.status).toBe(2);
    expect(talk(run)).toEqual([
      'lifeboat: error: no folder for the vault: HOME is unset, empty or not an absolute path',
      'lifeboat: hint: set HOME (or XDG_DATA_HOME) to an absolute path, or name the vault with --vault or LIFEBOAT_VAULT',
    ]);
    expect(namesIn(here)).toEqual([]);
  });

  it('a relative XDG_DATA_HOME is ignored: the vault goes under $HOME/.local/share', () => {
    const here = cwd();
    const home = path.join(box.dir, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    const run = box.run(['init'], { cwd: here, env: { LIFEBOAT_VAULT: undefined, HOME: home, XDG_DATA_HOME: 'data' } });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(home, '.local', 'share', 'lifeboat', 'vault.lifeboat'))).toBe(true);
    expect(namesIn(here)).toEqual([]);
  });

  it('an absolute XDG_DATA_HOME is used', () => {
    const data = path.join(box.dir, 'xdg');
    fs.mkdirSync(data, { mode: 0o700 });
    const run = box.run(['init'], { cwd: cwd(), env: { LIFEBOAT_VAULT: undefined, HOME: '', XDG_DATA_HOME: data } });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(data, 'lifeboat', 'vault.lifeboat'))).toBe(true);
  });
});
