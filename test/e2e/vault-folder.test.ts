// End-to-end: the vault's folder and its neighbours (issue 11, finding 4: "a group- or world-writable vault folder
// (without the sticky bit) or one owned by someone else is never warned about on open"; "a FIFO named like the lock
// hangs every command past its time-out").
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, PASSPHRASE, bytesOf, instagramCodes, sandbox, type Sandbox } from '../support/cli.js';

const isRoot = process.getuid?.() === 0;
let box: Sandbox;
let folder: string;
beforeEach(() => {
  box = sandbox();
  folder = path.dirname(box.vault);
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'instagram'], { input: instagramCodes(3, 71).join('\n') }).status).toBe(0);
});
afterEach(() => {
  fs.chmodSync(folder, 0o700);
  box.cleanup();
});

describe('opening a vault warns about its folder', () => {
  it('a world-writable folder (0777): every open warns, and the command still works', () => {
    fs.chmodSync(folder, 0o777);
    for (const args of [['list'], ['use', 'instagram']]) {
      const run = box.run(args);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `lifeboat: warning: the folder ${folder} can be written by other users (mode 777): they can replace or delete the vault; run \`chmod go-w ${folder}\``,
      );
    }
  });

  it('a group-writable folder (0770) warns too', () => {
    fs.chmodSync(folder, 0o770);
    expect(box.run(['list']).stderr).toContain(`the folder ${folder} can be written by other users (mode 770)`);
  });

  it('a world-writable folder with the sticky bit (01777) is not warned about for writability', () => {
    fs.chmodSync(folder, 0o1777);
    const run = box.run(['list']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('can be written by other users');
  });

  it('a private folder (0700) gives no warning at all', () => {
    const run = box.run(['list']);
    expect(run.stderr).not.toContain('warning: the folder');
    expect(run.stderr).not.toContain('belongs to another user');
  });

  it.runIf(isRoot)('a folder and a vault owned by another user are warned about', () => {
    fs.chownSync(folder, 65534, 65534);
    fs.chownSync(box.vault, 65534, 65534);
    try {
      const run = box.run(['list']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toContain(`lifeboat: warning: the folder ${folder} belongs to another user (uid 65534)`);
      expect(run.stderr).toContain(`lifeboat: warning: the vault ${box.vault} belongs to another user (uid 65534)`);
    } finally {
      fs.chownSync(box.vault, 0, 0);
      fs.chownSync(folder, 0, 0);
    }
  });
});

/** Runs the binary with a hard time limit, so a hang fails the test instead of the suite. */
function runLimited(args: readonly string[], env: Record<string, string>, seconds: number) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: '',
    env: { PATH: process.env['PATH'] ?? '', HOME: box.dir, LIFEBOAT_VAULT: box.vault, LIFEBOAT_PASSPHRASE: PASSPHRASE, LIFEBOAT_INSECURE_TEST_KDF: '1', ...env },
    timeout: seconds * 1000,
    killSignal: 'SIGKILL',
  });
  return { status: result.status, stderr: result.stderr, ms: Date.now() - started, timedOut: result.error !== undefined };
}

describe('FIFOs named like the lock or the vault', () => {
  it('a FIFO named like the lock ends the command at once, naming the lock and how to remove it', () => {
    const lock = `${box.vault}.lock`;
    execFileSync('mkfifo', [lock]);
    const before = bytesOf(box.vault);
    const run = runLimited(['use', 'instagram'], { LIFEBOAT_LOCK_TIMEOUT: '5' }, 15);
    expect(run.timedOut).toBe(false);
    expect(run.ms).toBeLessThan(5000);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`lifeboat: error: the lock ${lock} is not a lock of lifeboat's: it is not a regular file`);
    expect(run.stderr).toContain(`lifeboat: hint: if no lifeboat is running, remove ${lock} (\`rm ${lock}\`) and try again`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a FIFO at the vault path is refused at once', () => {
    fs.renameSync(box.vault, `${box.vault}.moved`);
    execFileSync('mkfifo', [box.vault]);
    const run = runLimited(['list'], {}, 15);
    expect(run.timedOut).toBe(false);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`lifeboat: error: ${box.vault} is not a regular file`);
  });
});
