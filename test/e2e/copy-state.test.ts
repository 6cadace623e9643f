// End-to-end: where `use --copy` keeps the clipboard clearer's generation file (issue 11, finding 4: "the clipboard
// clearer's generation file falls back to the vault folder when XDG_RUNTIME_DIR is unset, so anyone who can write
// there can stop the clipboard from being cleared"). Real clipboard: a private Xvfb with xsel.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, sandbox, type Run, type RunOptions, type Sandbox } from '../support/cli.js';
import { requireTools, startXvfb, type Xvfb } from '../support/xvfb.js';

const skip = requireTools(['Xvfb', 'xsel']);
const codes = instagramCodes(3, 61);
const GENERATION = 'lifeboat-clipboard-generation';

describe.skipIf(skip !== null)('the clipboard clearer keeps its state in a private folder', () => {
  let xvfb: Xvfb | null = null;
  let display = '';
  let box: Sandbox;
  let state: string;

  beforeAll(async () => {
    xvfb = await startXvfb();
    if (xvfb === null) throw new Error('Xvfb did not start');
    display = xvfb.display;
  });
  afterAll(async () => {
    for (const pid of clearerPids()) kill(pid);
    await xvfb?.stop();
  });
  beforeEach(() => {
    box = sandbox();
    state = path.join(box.dir, 'state');
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'instagram'], { input: codes.join('\n') }).status).toBe(0);
    xsel(['-b', '-c']);
  });
  afterEach(() => {
    for (const pid of clearerPids()) kill(pid);
    box.cleanup();
  });

  /** Runs lifeboat on our display, without XDG_RUNTIME_DIR, with its private state under the sandbox. */
  function run(args: readonly string[], options: RunOptions = {}): Run {
    return box.run(args, {
      ...options,
      env: { DISPLAY: display, WAYLAND_DISPLAY: undefined, XDG_RUNTIME_DIR: undefined, XDG_STATE_HOME: state, ...options.env },
    });
  }
  function xsel(args: readonly string[]): string {
    return execFileSync('xsel', args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  }
  const clipboard = (): string => xsel(['-b', '-o']);
  function clearerPids(): number[] {
    const found = spawnSync('pgrep', ['-f', 'clipboard-clearer'], { encoding: 'utf8' }).stdout ?? '';
    return found
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number)
      .filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`DISPLAY=${display}`);
        } catch {
          return false;
        }
      });
  }
  function kill(pid: number): void {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  async function waitUntil(done: () => boolean, seconds: number): Promise<boolean> {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      if (done()) return true;
      await sleep(200);
    }
    return done();
  }
  const states = (): string[] =>
    (JSON.parse(run(['show', 'instagram', '--json']).stdout) as { codes: { state: string }[] }).codes.map((c) => c.state);

  it('without XDG_RUNTIME_DIR: the file is in the private state folder, and a token planted in the vault folder does not stop the clear', async () => {
    const vaultFolder = path.dirname(box.vault);
    const copied = run(['use', 'instagram', '--copy'], { env: { LIFEBOAT_CLIP_TIME: '3' } });
    expect(copied.status, copied.stderr).toBe(0);
    expect(clipboard()).toBe(codes[0]);
    // Someone who can write the vault's folder claims that a newer copy took over.
    fs.writeFileSync(path.join(vaultFolder, GENERATION), `${'ab'.repeat(16)}\n`);
    expect(await waitUntil(() => clipboard() === '', 12)).toBe(true);
    const folder = path.join(state, 'lifeboat');
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(folder, GENERATION)).mode & 0o777).toBe(0o600);
  });

  it('with XDG_RUNTIME_DIR: the file is in its private `lifeboat` folder', () => {
    const runtime = path.join(box.dir, 'runtime');
    fs.mkdirSync(runtime, { mode: 0o700 });
    const copied = run(['use', 'instagram', '--copy'], { env: { XDG_RUNTIME_DIR: runtime } });
    expect(copied.status, copied.stderr).toBe(0);
    expect(fs.statSync(path.join(runtime, 'lifeboat')).mode & 0o777).toBe(0o700);
    expect(fs.existsSync(path.join(runtime, 'lifeboat', GENERATION))).toBe(true);
    expect(fs.existsSync(path.join(path.dirname(box.vault), GENERATION))).toBe(false);
  });

  it('a state folder that others can write is refused before the code is spent', () => {
    const folder = path.join(state, 'lifeboat');
    fs.mkdirSync(folder, { recursive: true });
    fs.chmodSync(folder, 0o777);
    const before = bytesOf(box.vault);
    const refused = run(['use', 'instagram', '--copy']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`lifeboat: error: refusing the private state folder ${folder}: other users have access to it (mode 777)`);
    expect(refused.stderr).toMatch(/^lifeboat: hint: /m);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(clipboard()).toBe('');
    expect(bytesOf(box.vault)).toEqual(before);
    expect(states()).toEqual(['unspent', 'unspent', 'unspent']);
  });

  it('with neither an absolute HOME nor XDG_STATE_HOME nor XDG_RUNTIME_DIR: a usage error, nothing spent, nothing written to the current folder', () => {
    const before = bytesOf(box.vault);
    const refused = run(['use', 'instagram', '--copy'], { env: { HOME: 'relative', XDG_STATE_HOME: undefined }, cwd: box.dir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('lifeboat: error: no folder for private state');
    expect(bytesOf(box.vault)).toEqual(before);
    expect(fs.existsSync(path.join(box.dir, 'relative'))).toBe(false);
  });
});
