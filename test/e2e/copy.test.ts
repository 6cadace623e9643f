// End-to-end: `lifeboat use --copy`, `show --copy` and `add --from-clipboard` on a real X clipboard (a private Xvfb
// with xsel), with the detached clearer (issue 3: "Codes on demand", section "Clipboard"; issue 4: "--from-clipboard").
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, PASSPHRASE, sandbox, type Run, type RunOptions, type Sandbox } from '../support/cli.js';
import { requireTools, startXvfb, type Xvfb } from '../support/xvfb.js';

const skip = requireTools(['Xvfb', 'xsel']);
// A seed of our own, so no other test's codes can turn up in `ps` by chance.
const codes = instagramCodes(5, 47);
const ALLOWED_ENV = ['PATH', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR'];

describe.skipIf(skip !== null)('the real clipboard under Xvfb', () => {
  let xvfb: Xvfb | null = null;
  let display = '';
  let runtime = '';
  let box: Sandbox;
  const clearersSeen = new Set<number>();

  beforeAll(async () => {
    xvfb = await startXvfb();
    if (xvfb === null) throw new Error('Xvfb did not start');
    display = xvfb.display;
    runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-e2e-runtime-'));
    fs.chmodSync(runtime, 0o700);
  });

  afterAll(async () => {
    for (const pid of [...clearersSeen, ...clearerPids()]) kill(pid);
    await xvfb?.stop();
    if (runtime !== '') fs.rmSync(runtime, { recursive: true, force: true });
  });

  beforeEach(() => {
    box = sandbox();
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'instagram'], { input: codes.join('\n') }).status).toBe(0);
    xsel(['-b', '-c']);
  });
  afterEach(() => {
    // A clearer left waiting from this test must not clear the next test's clipboard.
    for (const pid of clearerPids()) kill(pid);
    box.cleanup();
  });

  /** Runs lifeboat on our display, with the clearer's generation file in our runtime folder. */
  function run(args: readonly string[], options: RunOptions = {}): Run {
    return box.run(args, { ...options, env: { DISPLAY: display, XDG_RUNTIME_DIR: runtime, WAYLAND_DISPLAY: undefined, ...options.env } });
  }

  function xsel(args: readonly string[], input?: string): string {
    const env = { ...process.env, DISPLAY: display };
    if (input !== undefined) {
      // `xsel -i` forks a server for the selection; leave its output unconnected so this call returns at once.
      execFileSync('xsel', args, { env, input, stdio: ['pipe', 'ignore', 'ignore'], timeout: 10_000 });
      return '';
    }
    return execFileSync('xsel', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  }
  const clipboard = (): string => xsel(['-b', '-o']);

  /** Pids of clipboard clearers (found by `pgrep -f clipboard-clearer`) serving our display, and no one else's. */
  function clearerPids(): number[] {
    const found = spawnSync('pgrep', ['-f', 'clipboard-clearer'], { encoding: 'utf8' }).stdout ?? '';
    const pids = found
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number)
      .filter((pid) => environ(pid)?.includes(`DISPLAY=${display}`) ?? false);
    for (const pid of pids) clearersSeen.add(pid);
    return pids;
  }

  function environ(pid: number): string[] | null {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((entry) => entry !== '');
    } catch {
      return null;
    }
  }

  function kill(pid: number): void {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }

  /** Polls until `done` holds or `seconds` pass; returns whether it held. */
  /**
   * Copies text the way the user would, and waits until the clipboard holds it: `xsel -i` returns before the
   * process it forks owns the selection, so a read at once may still see the previous owner's text.
   */
  async function copyAsUser(text: string): Promise<boolean> {
    xsel(['-b', '-i'], text);
    return waitUntil(() => clipboard() === text, 5);
  }

  async function waitUntil(done: () => boolean, seconds: number): Promise<boolean> {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      if (done()) return true;
      await sleep(200);
    }
    return done();
  }

  const states = (): string[] => (JSON.parse(run(['show', 'instagram', '--json']).stdout) as { codes: { state: string }[] }).codes.map((c) => c.state);

  describe('lifeboat use --copy', () => {
    it('copies the next code (nothing on stdout), marks it spent, and the waiting clearer shows no secret to other processes', () => {
      const copied = run(['use', 'instagram', '--copy']);
      expect(copied.status, copied.stderr).toBe(0);
      expect(copied.stdout).toBe('');
      expect(copied.stderr).toContain('lifeboat: copied the code for instagram; the clipboard clears in 30 s');
      expect(clipboard()).toBe(codes[0]);
      expect(states()).toEqual(['spent', 'unspent', 'unspent', 'unspent', 'unspent']);

      const clearers = clearerPids();
      expect(clearers).toHaveLength(1);
      const secrets = [codes[0] ?? '', (codes[0] ?? '').replace(' ', ''), PASSPHRASE];
      const everyone = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
      expect(everyone).toContain('clipboard-clearer');
      for (const secret of secrets) expect(everyone).not.toContain(secret);

      const env = environ(clearers[0] ?? 0) ?? [];
      const keys = env.map((entry) => entry.slice(0, entry.indexOf('=')));
      for (const key of keys) expect(ALLOWED_ENV).toContain(key);
      expect(env).toContain(`DISPLAY=${display}`);
      expect(env).toContain(`XDG_RUNTIME_DIR=${runtime}`);
      expect(keys.filter((key) => key.startsWith('LIFEBOAT_'))).toEqual([]);
      for (const secret of secrets) expect(env.join('\n')).not.toContain(secret);
    });

    it('with LIFEBOAT_CLIP_TIME=2 the clipboard is empty within a few seconds', async () => {
      const copied = run(['use', 'instagram', '--copy'], { env: { LIFEBOAT_CLIP_TIME: '2' } });
      expect(copied.status, copied.stderr).toBe(0);
      expect(copied.stderr).toContain('the clipboard clears in 2 s');
      expect(clipboard()).toBe(codes[0]);
      expect(await waitUntil(() => clipboard() === '', 10)).toBe(true);
    });

    it('leaves alone what the user copied meanwhile', async () => {
      const copied = run(['use', 'instagram', '--copy'], { env: { LIFEBOAT_CLIP_TIME: '3' } });
      expect(copied.status, copied.stderr).toBe(0);
      const clearers = clearerPids();
      expect(await copyAsUser('other')).toBe(true);
      expect(clipboard()).toBe('other');
      expect(clearers).toHaveLength(1);
      // Once the clearer has done its job and gone, the user's text is still there.
      expect(await waitUntil(() => clearers.every((pid) => environ(pid) === null), 12)).toBe(true);
      expect(clipboard()).toBe('other');
    });

    it('without a clipboard: exit 1 with an error and a hint, no stack, and the code is not marked spent', () => {
      const before = bytesOf(box.vault);
      const failed = run(['use', 'instagram', '--copy'], { env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined } });
      expect(failed.status).toBe(1);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toMatch(/^lifeboat: error: no display server for the clipboard/m);
      expect(failed.stderr).toMatch(/^lifeboat: hint: run without --copy to print the code instead/m);
      expect(failed.stderr).not.toMatch(/^\s+at /m);
      expect(bytesOf(box.vault)).toEqual(before);
      expect(states()).toEqual(Array(5).fill('unspent'));
    });
  });

  describe('lifeboat show --copy', () => {
    it('copies the unspent codes one per line, nothing on stdout', () => {
      expect(run(['use', 'instagram']).status).toBe(0);
      const copied = run(['show', 'instagram', '--copy']);
      expect(copied.status, copied.stderr).toBe(0);
      expect(copied.stdout).toBe('');
      expect(copied.stderr).toContain('copied 4 codes of instagram; the clipboard clears in 30 s');
      expect(clipboard()).toBe(codes.slice(1).join('\n'));
      expect(states()).toEqual(['spent', 'unspent', 'unspent', 'unspent', 'unspent']);
    });
  });

  describe('lifeboat add --from-clipboard', () => {
    it('stores the codes on the clipboard, then clears it', async () => {
      const fixtures = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
      const expected = (JSON.parse(fs.readFileSync(path.join(fixtures, 'github-file.expect.json'), 'utf8')) as { codes: string[] }).codes;
      expect(await copyAsUser(fs.readFileSync(path.join(fixtures, 'github-file.txt'), 'utf8'))).toBe(true);
      expect(clipboard()).toContain(expected[0]);

      const added = run(['add', 'github', '--from-clipboard', '--yes']);
      expect(added.status, added.stderr).toBe(0);
      expect(added.stdout).toBe('');
      expect(added.stderr).toContain('stored 16 codes for github');
      expect(added.stderr).toContain('lifeboat: cleared the clipboard, which held the codes');
      const shown = JSON.parse(run(['show', 'github', '--json']).stdout) as { codes: { code: string; state: string }[] };
      expect(shown.codes.map((c) => c.code)).toEqual(expected);
      expect(shown.codes.every((c) => c.state === 'unspent')).toBe(true);
      expect(clipboard()).toBe('');
    });

    it('an empty clipboard: exit 1, nothing stored', () => {
      const before = bytesOf(box.vault);
      const added = run(['add', 'github', '--from-clipboard', '--yes']);
      expect(added.status).toBe(1);
      expect(added.stderr).toContain('no codes were given');
      expect(bytesOf(box.vault)).toEqual(before);
    });
  });
});
