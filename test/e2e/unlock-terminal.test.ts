// End-to-end on a real terminal (tmux): the unlock session as a person meets it (issue 9, "Proof"):
// unlock then use with no prompt, lock then a prompt again, the session's time-out, and a socket folder
// with the wrong mode. Every agent a test starts is recorded by pid and killed in afterEach.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, PASSPHRASE, sandbox, type Sandbox } from '../support/cli.js';
import { requireTools } from '../support/tools.js';

const run = requireTools(['tmux']);
const socket = `lifeboat-unlock-test-${process.pid}`;
let box: Sandbox;
let runtimeDir: string;
let session = 0;
const agents: number[] = [];

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** Starts lifeboat in a fresh tmux window, with a runtime folder and no passphrase variable. */
function start(args: string[]): { name: string; statusFile: string } {
  session += 1;
  const name = `u${session}`;
  const statusFile = path.join(box.dir, `${name}.status`);
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg}'`).join(' ');
  const command = `env -u LIFEBOAT_PASSPHRASE XDG_RUNTIME_DIR='${runtimeDir}' LIFEBOAT_VAULT='${box.vault}' LIFEBOAT_INSECURE_TEST_KDF=1 ${quoted}; echo $? > '${statusFile}'; sleep 30`;
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', command);
  return { name, statusFile };
}

async function waitFor(name: string, text: string): Promise<string> {
  for (let i = 0; i < 400; i += 1) {
    const screen = tmux('capture-pane', '-p', '-J', '-t', name);
    if (screen.includes(text)) return screen;
    await sleep(50);
  }
  throw new Error(`timed out waiting for "${text}" in:\n${tmux('capture-pane', '-p', '-J', '-t', name)}`);
}

async function exitStatus(statusFile: string): Promise<number> {
  for (let i = 0; i < 400; i += 1) {
    if (fs.existsSync(statusFile) && fs.readFileSync(statusFile, 'utf8').trim() !== '') return Number(fs.readFileSync(statusFile, 'utf8'));
    await sleep(50);
  }
  throw new Error('the command did not finish');
}

/** The running agent's pid, asked over its socket (and recorded, so afterEach kills it). */
function agentPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const connection = net.createConnection(path.join(runtimeDir, 'lifeboat', 'agent.sock'));
    let data = '';
    connection.on('data', (chunk) => (data += chunk.toString()));
    connection.on('error', reject);
    connection.on('close', () => {
      // An agent that closes without answering (it is ending, or refuses an unsafe folder) has no pid to give.
      let pid: number;
      try {
        pid = (JSON.parse(data) as { pid: number }).pid;
      } catch {
        reject(new Error('the agent closed the connection without answering'));
        return;
      }
      agents.push(pid);
      resolve(pid);
    });
    connection.on('connect', () => connection.write('{"v":1,"op":"status"}\n'));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms = 8000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return false;
}

/** Unlocks on the terminal: one masked prompt, then the agent's pid. */
async function unlockOnTerminal(args: string[] = []): Promise<number> {
  const { name, statusFile } = start(['unlock', ...args]);
  await waitFor(name, 'Passphrase');
  tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
  expect(await exitStatus(statusFile)).toBe(0);
  const screen = tmux('capture-pane', '-p', '-J', '-t', name);
  expect(screen).toContain('lifeboat: unlocked');
  expect(screen).not.toContain(PASSPHRASE);
  return agentPid();
}

beforeEach(() => {
  box = sandbox();
  runtimeDir = path.join(box.dir, 'run');
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: '1111 2222\n3333 4444\n5555 6666\n7777 8888\n' }).status).toBe(0);
});
afterEach(async () => {
  // An agent this test started but did not record (a failed assertion) is found through its socket.
  await agentPid().catch(() => undefined);
  for (const pid of agents.splice(0)) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    await waitGone(pid);
  }
  box.cleanup();
});
afterAll(() => {
  if (run) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

describe.runIf(run)('the unlock session on a real terminal', () => {
  it('unlock asks once; use then asks nothing; after lock, use asks again', async () => {
    const pid = await unlockOnTerminal();
    const used = start(['use', 'ig']);
    expect(await exitStatus(used.statusFile)).toBe(0);
    const screen = tmux('capture-pane', '-p', '-t', used.name);
    expect(screen).toContain('1111 2222');
    expect(screen).not.toContain('Passphrase');

    const locked = start(['lock']);
    expect(await exitStatus(locked.statusFile)).toBe(0);
    expect(await waitGone(pid)).toBe(true);
    const again = start(['use', 'ig']);
    await waitFor(again.name, 'Passphrase');
    tmux('send-keys', '-t', again.name, PASSPHRASE, 'Enter');
    expect(await exitStatus(again.statusFile)).toBe(0);
    expect(tmux('capture-pane', '-p', '-t', again.name)).toContain('3333 4444');
  });

  it('after the session times out, use asks for the passphrase again', async () => {
    const pid = await unlockOnTerminal(['--for', '2s']);
    expect(await waitGone(pid)).toBe(true);
    const after = start(['use', 'ig']);
    await waitFor(after.name, 'Passphrase');
    tmux('send-keys', '-t', after.name, 'C-c');
    expect(await exitStatus(after.statusFile)).toBe(130);
  });

  it('a socket folder with the wrong mode is not used: the user is told why and asked for the passphrase', async () => {
    await unlockOnTerminal();
    const folder = path.join(runtimeDir, 'lifeboat');
    fs.chmodSync(folder, 0o755);
    const used = start(['use', 'ig']);
    const screen = await waitFor(used.name, 'Passphrase');
    expect(screen).toContain(`not using the unlock session: the unlock session's folder ${folder} has mode 755`);
    tmux('send-keys', '-t', used.name, PASSPHRASE, 'Enter');
    expect(await exitStatus(used.statusFile)).toBe(0);
    expect(tmux('capture-pane', '-p', '-t', used.name)).toContain('1111 2222');
  });
});
