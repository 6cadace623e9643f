// The real clipboard under a private Xvfb with xsel: copy through clipboardy, the built detached clearer
// (dist/cli/clipboard-clearer.js, as the CLI spawns it), and what other processes can see of it meanwhile.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { clipboardyBackend, copy, probeClipboard, type CopyPlan } from '../../src/output/clipboard.js';
import { requireTools, startXvfb, xselPids, type Xvfb } from '../support/xvfb.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = join(root, 'dist', 'cli', 'clipboard-clearer.js');
const ALLOWED = ['PATH', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR'];

const skip = requireTools(['Xvfb', 'xsel']);

describe.skipIf(skip !== null)('the real clipboard under Xvfb', () => {
  let xvfb: Xvfb | null = null;
  let stateDir = '';
  const saved = { DISPLAY: process.env['DISPLAY'], LIFEBOAT_PASSPHRASE: process.env['LIFEBOAT_PASSPHRASE'] };
  const clearers: number[] = [];

  beforeAll(async () => {
    // Build as the CLI ships: the clearer runs from dist. Skipped when the three files it runs are newer than their
    // sources (tsc -p . takes 5-20 s on a busy 2-core machine). Others' unfinished files may make tsc complain, but
    // it still emits ours; what matters is that they are fresh.
    const built = ['cli/clipboard-clearer', 'output/clipboard', 'output/clipboard-clear'].map((name) => ({
      source: join(root, 'src', `${name}.ts`),
      output: join(root, 'dist', `${name}.js`),
    }));
    const fresh = (): boolean =>
      built.every(({ source, output }) => existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs);
    if (!fresh()) {
      const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (!fresh()) throw new Error(`tsc -p . did not emit the clearer:\n${tsc.stdout}${tsc.stderr}`);
    }
    xvfb = await startXvfb();
    if (xvfb === null) throw new Error('Xvfb vanished after the tool check');
    process.env['DISPLAY'] = xvfb.display;
    // Present in our environment, so the test proves the clearer does not inherit it.
    process.env['LIFEBOAT_PASSPHRASE'] = 'correct horse battery staple';
    stateDir = await mkdtemp(join(tmpdir(), 'lifeboat-clip-x-'));
  });

  afterAll(async () => {
    for (const pid of clearers) {
      if (alive(pid)) process.kill(pid, 'SIGTERM');
    }
    const display = xvfb?.display;
    await xvfb?.stop();
    // Every xsel that served our private display is gone (stop() ends them by pid).
    if (display !== undefined) await waitUntilGone(() => xselPids(display).length === 0);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (stateDir !== '') await rm(stateDir, { recursive: true, force: true });
  });

  const display = (): string => xvfb?.display ?? '';
  const plan = (delaySeconds: number): CopyPlan => ({
    execPath: process.execPath,
    entry,
    env: process.env,
    stateDir,
    delaySeconds,
  });
  const newCode = (): string => `${Math.random().toString().slice(2, 6)}-${Math.random().toString().slice(2, 6)}`;

  async function xselOut(): Promise<string> {
    const { stdout } = await run('xsel', ['--clipboard', '--output'], { env: { ...process.env, DISPLAY: display() } });
    return stdout;
  }

  function userCopies(text: string): void {
    spawnSync('xsel', ['--clipboard', '--input'], { input: text, env: { ...process.env, DISPLAY: display() } });
  }

  async function waitUntil(check: () => Promise<boolean> | boolean, ms: number): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < ms) {
      if (await check()) return Date.now() - start;
      await sleep(100);
    }
    throw new Error(`condition not met within ${ms} ms`);
  }

  test('probe: available with a display', async () => {
    await expect(probeClipboard(clipboardyBackend())).resolves.toEqual({ available: true });
  });

  test('probe: no display, even with no xsel on PATH, says so in our words', async () => {
    const path = process.env['PATH'];
    delete process.env['DISPLAY'];
    process.env['PATH'] = stateDir; // an empty folder: no system xsel, so clipboardy tries its bundled one
    try {
      const withoutXsel = await probeClipboard(clipboardyBackend());
      expect(withoutXsel).toMatchObject({ available: false, reason: expect.stringMatching(/^no display server/) });
      process.env['PATH'] = path;
      const probe = await probeClipboard(clipboardyBackend());
      expect(probe).toMatchObject({ available: false, reason: expect.stringMatching(/^no display server/) });
      if (!probe.available) expect(probe.hint).toMatch(/without --copy/);
    } finally {
      process.env['PATH'] = path;
      process.env['DISPLAY'] = display();
    }
  });

  test('copies, hides the code from ps and the environment, and clears it after 2 s', async () => {
    const code = newCode();
    const receipt = await copy(clipboardyBackend(), code, plan(2));
    const pid = receipt.clearerPid ?? -1;
    clearers.push(pid);
    expect(receipt.clearsAfterSeconds).toBe(2);
    expect(await xselOut()).toBe(code);

    expect(alive(pid)).toBe(true);
    const args = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(args).not.toContain(code);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    expect(cmdline).toEqual([process.execPath, entry]);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((v) => v !== '');
    const keys = environ.map((v) => v.slice(0, v.indexOf('=')));
    expect(keys.every((key) => ALLOWED.includes(key))).toBe(true);
    expect(environ).toContain(`DISPLAY=${display()}`);
    expect(environ.join('\n')).not.toContain('correct horse');

    const waited = await waitUntil(async () => (await xselOut()) === '', 8000);
    expect(waited).toBeGreaterThan(1000);
    await waitUntil(() => !alive(pid), 3000);
  });

  test('keeps what the user copied meanwhile', async () => {
    const code = newCode();
    const receipt = await copy(clipboardyBackend(), code, plan(2));
    const pid = receipt.clearerPid ?? -1;
    clearers.push(pid);
    await sleep(300);
    userCopies('my own note');
    await waitUntil(() => !alive(pid), 6000);
    expect(await xselOut()).toBe('my own note');
  });

  test('a newer copy of the same code replaces the older pending clear', async () => {
    const code = newCode();
    const start = Date.now();
    const first = await copy(clipboardyBackend(), code, plan(2));
    clearers.push(first.clearerPid ?? -1);
    await sleep(1000);
    const second = await copy(clipboardyBackend(), code, plan(3));
    clearers.push(second.clearerPid ?? -1);
    // The first clearer gives way within a poll interval and never clears the fresh copy, even past its deadline.
    await waitUntil(() => !alive(first.clearerPid ?? -1), 2500);
    await sleep(Math.max(0, 2600 - (Date.now() - start)));
    expect(await xselOut()).toBe(code);
    await waitUntil(async () => (await xselOut()) === '', 8000);
    expect(Date.now() - start).toBeGreaterThan(3900);
  });
});

describe('the missing-tool policy', () => {
  test('skips with a printed reason locally, fails in CI', () => {
    const ci = process.env['CI'];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      delete process.env['CI'];
      expect(requireTools(['node'])).toBeNull();
      expect(requireTools(['lifeboat-no-such-tool'])).toMatch(/missing lifeboat-no-such-tool/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^skipping .*lifeboat-no-such-tool/));
      process.env['CI'] = 'true';
      expect(() => requireTools(['lifeboat-no-such-tool'])).toThrow(/required in CI/);
    } finally {
      warn.mockRestore();
      if (ci === undefined) delete process.env['CI'];
      else process.env['CI'] = ci;
    }
  });
});

function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(state);
  } catch {
    return false;
  }
}

async function waitUntilGone(check: () => boolean): Promise<void> {
  for (let i = 0; i < 30 && !check(); i += 1) await sleep(100);
  if (!check()) throw new Error('an xsel of the test display is still running');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
