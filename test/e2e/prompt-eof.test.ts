// End-to-end on a real terminal (tmux): Ctrl+D (end of input) at any prompt is "cancelled", exit 130,
// nothing changed, like Ctrl+C (issue 11, finding 9). Before, readline closed the prompt without settling
// it and the process ended with status 0, as if all went well (DEPENDENCIES.md 4).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, PASSPHRASE, bytesOf, sandbox, type Sandbox } from '../support/cli.js';
import { requireTools } from '../support/tools.js';

const run = requireTools(['tmux']);
const socket = `lifeboat-eof-${process.pid}`;
let box: Sandbox;
let session = 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** Starts lifeboat in a fresh tmux window; its exit status lands in a file. */
function start(args: string[]): { name: string; statusFile: string } {
  session += 1;
  const name = `e${session}`;
  const statusFile = path.join(box.dir, `${name}.status`);
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(' ');
  const command = `env -u LIFEBOAT_PASSPHRASE LIFEBOAT_VAULT='${box.vault}' LIFEBOAT_INSECURE_TEST_KDF=1 ${quoted}; echo $? > '${statusFile}'; sleep 30`;
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', command);
  return { name, statusFile };
}

async function waitFor(name: string, text: string): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    const screen = tmux('capture-pane', '-p', '-t', name);
    if (screen.includes(text)) return screen;
    await sleep(50);
  }
  throw new Error(`timed out waiting for "${text}" in:\n${tmux('capture-pane', '-p', '-t', name)}`);
}

async function exitStatus(statusFile: string): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    if (fs.existsSync(statusFile) && fs.readFileSync(statusFile, 'utf8').trim() !== '') return Number(fs.readFileSync(statusFile, 'utf8'));
    await sleep(50);
  }
  throw new Error('the command did not finish');
}

beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n' }).status).toBe(0);
});
afterEach(() => box.cleanup());
afterAll(() => {
  if (run) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

describe.runIf(run)('Ctrl+D at a prompt', () => {
  it('at the passphrase prompt: cancelled, exit 130, nothing changed', async () => {
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['use', 'ig']);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('lifeboat: error: cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('at a confirmation: cancelled, exit 130, nothing removed', async () => {
    const before = bytesOf(box.vault);
    const { name, statusFile } = start(['remove', 'ig']);
    await waitFor(name, 'Passphrase');
    tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
    await waitFor(name, 'Remove ig and its 2 unspent codes?');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('at the code prompt of spend: cancelled, exit 130, nothing spent', async () => {
    const before = bytesOf(box.vault);
    // The code is asked for first, then the passphrase (issue 9: inputs, then the passphrase).
    const { name, statusFile } = start(['spend', 'ig']);
    await waitFor(name, 'Code');
    tmux('send-keys', '-t', name, 'C-d');
    expect(await exitStatus(statusFile)).toBe(130);
    expect(tmux('capture-pane', '-p', '-t', name)).toContain('cancelled: nothing was changed');
    expect(bytesOf(box.vault)).toEqual(before);
  });
});
