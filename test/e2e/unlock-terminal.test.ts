// End-to-end on a real terminal (tmux): the unlock session as a person meets it (issue 9, "Proof"):
// unlock then use with no prompt, lock then a prompt again, the session's time-out, and a socket folder
// with the wrong mode. Every agent a test starts is recorded by pid and killed in afterEach.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSPHRASE, sandbox, type Sandbox } from '../support/cli.js';
import { alive, waitGone } from '../support/processes.js';
import { terminal, type Window } from '../support/tmux.js';

const term = terminal('unlock', { joinWrapped: true });
const run = term.available;
const { tmux, waitFor, exitStatus } = term;
let box: Sandbox;
let runtimeDir: string;
const agents: number[] = [];

/** Starts lifeboat in a fresh tmux window, with a runtime folder and no passphrase variable. */
const start = (args: string[]): Window => term.start(box, args, { env: { XDG_RUNTIME_DIR: runtimeDir }, columns: 120 });

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

/** Unlocks on the terminal: one masked prompt, then the agent's pid. */
async function unlockOnTerminal(args: string[] = []): Promise<number> {
  const { name, statusFile } = start(['unlock', ...args]);
  await waitFor(name, 'Passphrase');
  tmux('send-keys', '-t', name, PASSPHRASE, 'Enter');
  expect(await exitStatus(statusFile)).toBe(0);
  const screen = term.screen(name);
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
afterAll(() => term.close());

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
