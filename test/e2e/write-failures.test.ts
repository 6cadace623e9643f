// End-to-end: standard output that fails (a full disk, `> /dev/full`; a reader that closed its end) never
// leaves a code spent but never shown, and never prints a stack trace (issue 11, finding 6).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, PASSPHRASE, instagramCodes, sandbox, type Sandbox } from '../support/cli.js';

let box: Sandbox;
const codes = instagramCodes(5);

beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: codes.join('\n') }).status).toBe(0);
});
afterEach(() => box.cleanup());

/**
 * Runs lifeboat inside a shell line, `LB` standing for the command; lifeboat's own exit status is written
 * to a file, since in a pipeline the shell reports the last command's.
 */
function shell(line: string): { status: number; stderr: string } {
  const statusFile = path.join(box.dir, 'status');
  fs.rmSync(statusFile, { force: true });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('LIFEBOAT_')) env[key] = value;
  Object.assign(env, { LIFEBOAT_VAULT: box.vault, LIFEBOAT_PASSPHRASE: PASSPHRASE, LIFEBOAT_INSECURE_TEST_KDF: '1' });
  const lifeboat = `'${process.execPath}' '${BIN}'`;
  const script = line.replace(/LB ([^|>]*)/, (_, args: string) => `{ ${lifeboat} ${args.trim()}; echo $? > '${statusFile}'; }`);
  const result = spawnSync('sh', ['-c', script], { encoding: 'utf8', env, input: '', timeout: 30_000 });
  return { status: Number(fs.readFileSync(statusFile, 'utf8')), stderr: result.stderr };
}

function states(): string[] {
  return JSON.parse(box.run(['show', 'ig', '--json']).stdout).codes.map((code: { state: string }) => code.state);
}

describe('lifeboat use, when the code cannot be written', () => {
  it('> /dev/full: the spent mark is undone, the user is told, exit 1, no stack trace', () => {
    const run = shell('LB use ig > /dev/full');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('lifeboat: warning: the code was not shown, so it was marked unspent again');
    expect(run.stderr).toContain('lifeboat: error: could not write to standard output: no space left on the device');
    expect(run.stderr.match(/lifeboat: error:/g)).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(states()).toEqual(['unspent', 'unspent', 'unspent', 'unspent', 'unspent']);
    expect(box.run(['use', 'ig']).stdout).toBe(`${codes[0]}\n`);
  });

  it('into a pipe whose reader closed it: the spent mark is undone, exit 1', () => {
    const run = shell('LB use ig | (exec 0<&-; sleep 3)');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the code was not shown, so it was marked unspent again');
    expect(run.stderr).toContain('could not write to standard output: the program reading it went away');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(states()).toEqual(['unspent', 'unspent', 'unspent', 'unspent', 'unspent']);
  });
});

describe('other commands, when standard output fails', () => {
  it('list > /dev/full: a clean error, exit 1, no stack trace', () => {
    const run = shell('LB list > /dev/full');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('lifeboat: error: could not write to standard output: no space left on the device');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('show --json and export --plaintext > /dev/full: the same clean error', () => {
    for (const args of ['show ig --json', 'export --plaintext']) {
      const run = shell(`LB ${args} > /dev/full`);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('could not write to standard output');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('print > /dev/full: the sheet never reached anyone, so the batch is not marked printed', () => {
    const run = shell('LB print ig > /dev/full');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('could not write to standard output');
    const shown = JSON.parse(box.run(['export', '--plaintext']).stdout);
    expect(shown.accounts[0].batches[0].printedAt).toBeNull();
  });

  it('list into a pipe that closed early (as `| head -1` may): quiet, no stack trace', () => {
    const run = shell('LB list | (exec 0<&-; sleep 3)');
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
  });
});
