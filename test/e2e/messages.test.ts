// End-to-end: messages that check before they ask, words that fit, and talk on stderr (issue 9, "Prompts and
// messages"). The child has no terminal here; test/e2e/prompts.test.ts drives a real one.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, bytesOf, instagramCodes, sandbox, talk, type Sandbox } from '../support/cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

const noPassphrase = { env: { LIFEBOAT_PASSPHRASE: undefined } } as const;

describe('checks before asking for anything', () => {
  it.each([['list'], ['use', 'ig'], ['spend', 'ig'], ['check'], ['edit', 'ig', '--note', 'x'], ['status']])(
    'no vault: `%s` names it and hints at init, before wanting a passphrase',
    (...args) => {
      const run = box.run(args, noPassphrase);
      expect(run.status).toBe(1);
      expect(talk(run)).toEqual([`lifeboat: error: no vault at ${box.vault}`, 'lifeboat: hint: run `lifeboat init` to create one, or pass --vault PATH']);
    },
  );

  it('only the backup is left: the hint is restore-backup', () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: instagramCodes(3).join('\n') }).status).toBe(0);
    fs.rmSync(box.vault);
    const run = box.run(['list'], noPassphrase);
    expect(run.status).toBe(1);
    expect(talk(run)).toEqual([
      `lifeboat: error: no vault at ${box.vault}, but its backup ${box.vault}.backup is there`,
      'lifeboat: hint: run `lifeboat restore-backup` to bring it back',
    ]);
  });

  it('a folder where the vault should be: said with its path, not EISDIR', () => {
    fs.mkdirSync(box.vault, { recursive: true });
    const run = box.run(['list'], noPassphrase);
    expect(run.status).toBe(1);
    expect(talk(run)).toEqual([`lifeboat: error: ${box.vault} is a folder, not a vault file`, 'lifeboat: hint: pass --vault with the path of the vault file itself']);
  });

  it('add checks the name, then the vault, before reading a single code', () => {
    const missing = box.run(['add', 'ig'], { ...noPassphrase, input: instagramCodes(3).join('\n') });
    expect(missing.status).toBe(1);
    expect(talk(missing)).toEqual([`lifeboat: error: no vault at ${box.vault}`, 'lifeboat: hint: run `lifeboat init` to create one, or pass --vault PATH']);
    expect(box.run(['init']).status).toBe(0);
    const invalid = box.run(['add', ' ig'], { ...noPassphrase, input: instagramCodes(3).join('\n') });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('an account name must not be empty or start or end with a space');
  });

  it('an empty file gets a hint about that file', () => {
    expect(box.run(['init']).status).toBe(0);
    const empty = path.join(box.dir, 'codes.txt');
    fs.writeFileSync(empty, '');
    const run = box.run(['add', 'ig', '--file', empty]);
    expect(run.status).toBe(1);
    expect(talk(run)).toContain(`lifeboat: hint: ${empty} is empty: give the file the service let you download, or pipe the codes in`);
  });

  it('rename to an invalid name is refused before the passphrase', () => {
    expect(box.run(['init']).status).toBe(0);
    const run = box.run(['rename', 'ig', ' spaced '], noPassphrase);
    expect(run.status).toBe(2);
    expect(talk(run)).toEqual(['lifeboat: error: an account name must not be empty or start or end with a space']);
  });
});

describe('file-system errors name the path and say what to do', () => {
  it('print --out into a folder that does not exist', () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: instagramCodes(3).join('\n') }).status).toBe(0);
    const out = path.join(box.dir, 'no-such-folder', 'sheet.txt');
    const run = box.run(['print', 'ig', '--out', out]);
    expect(run.status).toBe(1);
    expect(talk(run)).toEqual([
      `lifeboat: error: cannot write ${out}, so nothing was changed: the file or its folder does not exist (ENOENT)`,
      'lifeboat: hint: check the path, or create the folder first',
    ]);
  });

  it('add --file with a folder', () => {
    expect(box.run(['init']).status).toBe(0);
    const run = box.run(['add', 'ig', '--file', box.dir]);
    expect(run.status).toBe(1);
    expect(talk(run)).toEqual([`lifeboat: error: cannot read ${box.dir} (it is a folder)`, 'lifeboat: hint: give the file inside it, not the folder']);
  });
});

describe('words that fit', () => {
  it('`lifeboat help <command>` prints that command\'s help, exit 0', () => {
    const run = box.run(['help', 'check']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: lifeboat check \[options\] \[code\.\.\.\]\n/);
  });

  it('`check 5878 4005`, unquoted as Google prints codes, is one code; so is `spend ig 5878 4005`', () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'google'], { input: '5878 4005\n1234 5678\n8765 4321\n' }).status).toBe(0);
    const check = box.run(['check', '5878', '4005']);
    expect(check.status).toBe(0);
    expect(check.stdout).toBe('unspent: a code of google that still works\n');
    expect(box.run(['spend', 'google', '5878', '4005']).status).toBe(0);
    expect(box.run(['check', '5878', '4005']).stdout).toMatch(/^spent: a code of google/);
  });

  it('import of a service\'s code list suggests `add ACCOUNT --file`; the vault is untouched', () => {
    expect(box.run(['init']).status).toBe(0);
    const before = bytesOf(box.vault);
    const file = path.join(box.dir, 'github-recovery-codes.txt');
    fs.copyFileSync(path.join(ROOT, 'test/fixtures/import/github-file.txt'), file);
    const run = box.run(['import', file]);
    expect(run.status).toBe(1);
    expect(talk(run)).toEqual([
      `lifeboat: error: ${file} is not a lifeboat export: it is neither encrypted (it does not start with LIFEBOAT) nor valid UTF-8 JSON`,
      `lifeboat: hint: it looks like a GitHub recovery-codes file (16 codes): to store them, run \`lifeboat add ACCOUNT --file ${file}\``,
    ]);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('show of an account whose only batch is superseded mentions --all on stderr', () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'old', '--as-superseded'], { input: instagramCodes(3).join('\n') }).status).toBe(0);
    const run = box.run(['show', 'old']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('old\n  no active batch\n');
    expect(talk(run)).toEqual(['lifeboat: old has only superseded batches (1): run `lifeboat show old --all` to see them']);
  });

  it('low-code warnings fit the batch: three codes are not low when added or after one use, low at the last', () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'three'], { input: instagramCodes(3).join('\n') }).status).toBe(0);
    expect(box.run(['list']).stdout).toMatch(/^three +3\/3 +\d{4}-\d\d-\d\d\n$/m);
    const first = box.run(['use', 'three']);
    expect(talk(first)).toEqual([]);
    const second = box.run(['use', 'three']);
    expect(talk(second)).toEqual(['lifeboat: warning: only 1 code left for three: generate new codes soon']);
  });
});
