// End-to-end: `lifeboat unlock` and `lifeboat lock`, the unlock session (issue 9, "New commands").
// Every agent a test starts is recorded by pid and killed in afterEach, whatever the test did.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSPHRASE, ROOT, instagramCodes, sandbox, type RunOptions, type Sandbox } from '../support/cli.js';
import { alive, waitGone } from '../support/processes.js';
import { requireTools } from '../support/tools.js';

let box: Sandbox;
let runtimeDir: string;
const agents: number[] = [];
const codes = instagramCodes(6);

/** The variables of a user logged in with a runtime folder, and no passphrase anywhere. */
function noPassphrase(extra: Record<string, string | undefined> = {}): RunOptions {
  return { env: { XDG_RUNTIME_DIR: runtimeDir, LIFEBOAT_PASSPHRASE: undefined, ...extra } };
}
function withPassphrase(extra: Record<string, string | undefined> = {}): RunOptions {
  return { env: { XDG_RUNTIME_DIR: runtimeDir, ...extra } };
}
const socketPath = (): string => path.join(runtimeDir, 'lifeboat', 'agent.sock');

/** Speaks the agent's protocol by hand: one JSON line out, one back (null if nobody answers). */
function request(message: object): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    const connection = net.createConnection(socketPath());
    let data = '';
    connection.on('data', (chunk) => (data += chunk.toString()));
    connection.on('error', () => resolve(null));
    connection.on('close', () => {
      // A half answer (the agent ended mid-line) counts as no answer, never as an uncaught error.
      try {
        resolve(data.trim() === '' ? null : (JSON.parse(data) as Record<string, unknown>));
      } catch {
        resolve(null);
      }
    });
    connection.on('connect', () => connection.write(`${JSON.stringify(message)}\n`));
  });
}

/** Runs `unlock` with the passphrase and returns the new agent's pid (recorded for afterEach). */
async function unlock(args: string[] = []): Promise<number> {
  const run = box.run(['unlock', ...args], withPassphrase());
  expect(run.stderr).toContain('lifeboat: unlocked');
  expect(run.status).toBe(0);
  const status = await request({ v: 1, op: 'status' });
  const pid = status?.['pid'];
  expect(typeof pid).toBe('number');
  agents.push(pid as number);
  return pid as number;
}

beforeEach(() => {
  box = sandbox();
  runtimeDir = path.join(box.dir, 'run');
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'instagram'], { input: codes.join('\n') }).status).toBe(0);
});
afterEach(async () => {
  // An agent this test started but did not record (a failed assertion) is found through its socket.
  const left = (await request({ v: 1, op: 'status' }))?.['pid'];
  if (typeof left === 'number') agents.push(left);
  for (const pid of agents.splice(0)) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    await waitGone(pid);
  }
  box.cleanup();
});

describe('lifeboat unlock and lock', () => {
  it('after unlock, use needs no passphrase; after lock it does again', async () => {
    const pid = await unlock();
    const used = box.run(['use', 'instagram'], noPassphrase());
    expect(used.status).toBe(0);
    expect(used.stdout).toBe(`${codes[0]}\n`);
    expect(box.run(['list', '--json'], noPassphrase()).status).toBe(0);

    const locked = box.run(['lock'], noPassphrase());
    expect(locked.status).toBe(0);
    expect(locked.stderr).toContain('locked: the unlock session ended');
    expect(await waitGone(pid)).toBe(true);
    expect(fs.existsSync(socketPath())).toBe(false);
    const refused = box.run(['use', 'instagram'], noPassphrase());
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('no passphrase given');
    expect(box.run(['lock'], noPassphrase()).stderr).toContain('no unlock session was open');
  });

  it.runIf(requireTools(['python3']))('a vault saved during a session opens with the passphrase and with the spec\'s own decoder', async () => {
    await unlock();
    // These saves use node:crypto instead of libsodium (src/vault/crypto-native.ts): two independent readers check them.
    expect(box.run(['use', 'instagram'], noPassphrase()).stdout).toBe(`${codes[0]}\n`);
    expect(box.run(['use', 'instagram'], noPassphrase()).stdout).toBe(`${codes[1]}\n`);
    const exported = box.run(['export', '--plaintext'], withPassphrase({ XDG_RUNTIME_DIR: undefined }));
    expect(exported.status).toBe(0);
    const python = spawnSync('/usr/bin/python3', [path.join(ROOT, 'docs', 'decrypt.py'), box.vault], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', LIFEBOAT_PASSPHRASE: PASSPHRASE },
    });
    expect(python.stderr).toBe('');
    expect(python.stdout).toBe(exported.stdout);
    const states = JSON.parse(exported.stdout).accounts[0].batches[0].codes.map((c: { spentAt: string | null }) => typeof c.spentAt === 'string');
    expect(states).toEqual([true, true, false, false, false, false]);
  });

  it('the session ends by itself after --for, and the agent exits', async () => {
    const pid = await unlock(['--for', '2s']);
    expect(box.run(['use', 'instagram'], noPassphrase()).stdout).toBe(`${codes[0]}\n`);
    expect(await waitGone(pid, 6000)).toBe(true);
    expect(fs.existsSync(socketPath())).toBe(false);
    expect(box.run(['use', 'instagram'], noPassphrase()).status).toBe(2);
  });

  it('refuses a --for outside 1s to 8h, before asking anything', () => {
    for (const bad of ['9h', '0s', 'soon', '15']) {
      const run = box.run(['unlock', '--for', bad], noPassphrase());
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('--for takes a duration from 1s to 8h');
    }
    expect(fs.existsSync(path.join(runtimeDir, 'lifeboat'))).toBe(false);
  });

  it('refuses to start without XDG_RUNTIME_DIR, or with a relative one', () => {
    for (const value of [undefined, 'relative/run']) {
      const run = box.run(['unlock'], { env: { XDG_RUNTIME_DIR: value } });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/XDG_RUNTIME_DIR is not (set|an absolute path)/);
      expect(run.stderr).toContain('lifeboat: hint:');
    }
  });

  it('the agent ends when its folder goes away (a logout clears the runtime folder)', async () => {
    const pid = await unlock();
    fs.rmSync(path.join(runtimeDir, 'lifeboat'), { recursive: true });
    expect(await waitGone(pid, 15_000)).toBe(true);
  }, 30_000);

  it('lock without a runtime folder says no session was open', () => {
    const run = box.run(['lock'], noPassphrase({ XDG_RUNTIME_DIR: undefined }));
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('no unlock session was open');
  });

  it('a socket folder others can reach is refused by the client, by unlock, and by the agent itself', async () => {
    const pid = await unlock();
    const folder = path.join(runtimeDir, 'lifeboat');
    fs.chmodSync(folder, 0o755);
    const refused = box.run(['use', 'instagram'], noPassphrase());
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`not using the unlock session: the unlock session's folder ${folder} has mode 755`);
    const fallback = box.run(['use', 'instagram'], withPassphrase());
    expect(fallback.status).toBe(0);
    expect(fallback.stdout).toBe(`${codes[0]}\n`);
    const again = box.run(['unlock'], withPassphrase());
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('refusing the unlock session');
    expect(again.stderr).toContain(`chmod 700 ${folder}`);
    // The agent checks too, on every connection: it answers nothing and forgets the key.
    expect(await request({ v: 1, op: 'get', vault: box.vault })).toBeNull();
    expect(await waitGone(pid)).toBe(true);
  });

  it('passwd asks for the current passphrase even when unlocked, and ends the session', async () => {
    const pid = await unlock();
    expect(box.run(['passwd'], noPassphrase({ LIFEBOAT_NEW_PASSPHRASE: 'new words' })).status).toBe(2);
    const changed = box.run(['passwd'], withPassphrase({ LIFEBOAT_NEW_PASSPHRASE: 'new words' }));
    expect(changed.status).toBe(0);
    expect(changed.stderr).toContain('the unlock session ended');
    expect(await waitGone(pid)).toBe(true);
    expect(box.run(['use', 'instagram'], noPassphrase()).status).toBe(2);
    expect(box.run(['use', 'instagram'], withPassphrase({ LIFEBOAT_PASSPHRASE: 'new words' })).stdout).toBe(`${codes[0]}\n`);
  });

  it('a key made stale by a passphrase change elsewhere is never used, and the session ends', async () => {
    const pid = await unlock();
    // As if passwd ran on another machine and a sync tool brought the file: this run cannot see the agent.
    expect(box.run(['passwd'], { env: { XDG_RUNTIME_DIR: undefined, LIFEBOAT_NEW_PASSPHRASE: 'new words' } }).status).toBe(0);
    expect(alive(pid)).toBe(true);
    const stale = box.run(['use', 'instagram'], noPassphrase());
    expect(stale.status).toBe(2);
    expect(stale.stderr).toContain("the unlock session's key no longer opens the vault");
    expect(await waitGone(pid)).toBe(true);
  });

  it('a session serves only the vault it was unlocked for', async () => {
    await unlock();
    const other = path.join(box.dir, 'other', 'vault.lifeboat');
    expect(box.run(['init'], withPassphrase({ LIFEBOAT_VAULT: other })).status).toBe(0);
    expect(box.run(['list'], noPassphrase({ LIFEBOAT_VAULT: other })).status).toBe(2);
    expect(box.run(['list'], noPassphrase()).status).toBe(0);
  });

  it('killing the agent falls back to the passphrase, and unlock starts afresh', async () => {
    const pid = await unlock();
    process.kill(pid, 'SIGKILL');
    expect(await waitGone(pid)).toBe(true);
    expect(fs.existsSync(socketPath())).toBe(true);
    const fallback = box.run(['use', 'instagram'], noPassphrase());
    expect(fallback.status).toBe(2);
    expect(fallback.stderr).toContain('no passphrase given');
    expect(box.run(['use', 'instagram'], withPassphrase()).stdout).toBe(`${codes[0]}\n`);
    await unlock();
    expect(box.run(['use', 'instagram'], noPassphrase()).stdout).toBe(`${codes[1]}\n`);
  });

  it('a second unlock replaces the first session: one agent at a time', async () => {
    const first = await unlock();
    const second = await unlock(['--for', '1h']);
    expect(second).not.toBe(first);
    expect(await waitGone(first)).toBe(true);
    expect(box.run(['use', 'instagram'], noPassphrase()).status).toBe(0);
  });

  it('neither the passphrase nor the key is on the agent\'s command line or in its environment', async () => {
    const pid = await unlock();
    const answer = await request({ v: 1, op: 'get', vault: fs.realpathSync(box.vault) });
    const keys = answer?.['keys'] as { encryption: string; check: string };
    expect(keys.encryption).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    expect(environ).toBe('');
    expect(cmdline.split('\0').filter(Boolean).map((arg) => path.basename(arg))).toEqual([path.basename(process.execPath), 'unlock-agent.js']);
    for (const secret of [PASSPHRASE, keys.encryption, keys.check, ...[keys.encryption, keys.check].map((k) => Buffer.from(k, 'base64').toString('hex'))]) {
      expect(cmdline).not.toContain(secret);
      expect(environ).not.toContain(secret);
    }
    // And the keys are handed out only in answer to a request over the private socket.
    expect(fs.statSync(path.join(runtimeDir, 'lifeboat')).mode & 0o777).toBe(0o700);
  });
});
