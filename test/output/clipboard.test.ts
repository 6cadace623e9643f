// Unit tests of the clipboard channel with an in-memory clipboard: the timed clear (fake timers), the salted
// fingerprint, the error wording, and what a spawned clearer gets on its command line, environment and stdin.
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  ClipboardUnavailableError,
  copy,
  describeClipboardFailure,
  generationFile,
  parseClearRequest,
  probeClipboard,
  runClearer,
  type ClearRequest,
  type ClipboardBackend,
  type GenerationStore,
} from '../../src/output/clipboard.js';
import {
  CLEARER_ENV_KEYS,
  clearerEnvironment,
  fingerprint,
  matchesFingerprint,
  newGeneration,
} from '../../src/output/clipboard-clear.js';

class FakeClipboard implements ClipboardBackend {
  content = '';
  readonly writes: string[] = [];
  readError: unknown = null;
  writeError: unknown = null;

  async read(): Promise<string> {
    if (this.readError !== null) throw this.readError;
    return this.content;
  }

  async write(text: string): Promise<void> {
    if (this.writeError !== null) throw this.writeError;
    this.writes.push(text);
    this.content = text;
  }
}

function memoryGenerations(token: string | null): GenerationStore & { token: string | null } {
  return {
    token,
    async read() {
      return this.token;
    },
    async write(generation: string) {
      this.token = generation;
    },
    async remove() {
      this.token = null;
    },
  };
}

function request(text: string, delayMs: number, generation: string): ClearRequest {
  return { v: 1, delayMs, ...fingerprint(text), generation, stateDir: '/run/user/1000' };
}

describe('runClearer (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('clears after the delay when the clipboard still holds our text, not before', async () => {
    const clipboard = new FakeClipboard();
    clipboard.content = '4821-3907';
    const generation = newGeneration();
    const outcome = runClearer(clipboard, request('4821-3907', 30_000, generation), memoryGenerations(generation));
    await vi.advanceTimersByTimeAsync(29_900);
    expect(clipboard.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await expect(outcome).resolves.toBe('cleared');
    expect(clipboard.content).toBe('');
  });

  test('keeps a newer copy of the user', async () => {
    const clipboard = new FakeClipboard();
    clipboard.content = '4821-3907';
    const generation = newGeneration();
    const outcome = runClearer(clipboard, request('4821-3907', 30_000, generation), memoryGenerations(generation));
    await vi.advanceTimersByTimeAsync(10_000);
    clipboard.content = 'my own note';
    await vi.advanceTimersByTimeAsync(20_000);
    await expect(outcome).resolves.toBe('changed');
    expect(clipboard.content).toBe('my own note');
    expect(clipboard.writes).toEqual([]);
  });

  test('gives way within a second to a newer lifeboat copy, even of the same text', async () => {
    const clipboard = new FakeClipboard();
    clipboard.content = '4821-3907';
    const generations = memoryGenerations(newGeneration());
    const outcome = runClearer(clipboard, request('4821-3907', 30_000, generations.token ?? ''), generations);
    await vi.advanceTimersByTimeAsync(5_000);
    generations.token = newGeneration();
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(outcome).resolves.toBe('superseded');
    expect(clipboard.content).toBe('4821-3907');
  });

  test('still clears when the generation file is gone (the safe side for a secret)', async () => {
    const clipboard = new FakeClipboard();
    clipboard.content = 'abc';
    const outcome = runClearer(clipboard, request('abc', 2_000, newGeneration()), memoryGenerations(null));
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(outcome).resolves.toBe('cleared');
  });

  test('a clipboard that went away is reported, not thrown', async () => {
    const clipboard = new FakeClipboard();
    clipboard.readError = new Error('xsel: Can\'t open display: :99');
    const generation = newGeneration();
    const outcome = runClearer(clipboard, request('abc', 1_000, generation), memoryGenerations(generation));
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(outcome).resolves.toBe('unavailable');
  });
});

describe('fingerprint', () => {
  test('is salted: two fingerprints of one code differ, and each recognizes only that code', () => {
    const a = fingerprint('12345678');
    const b = fingerprint('12345678');
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(matchesFingerprint(a, '12345678')).toBe(true);
    expect(matchesFingerprint(b, '12345678')).toBe(true);
    expect(matchesFingerprint(a, '12345679')).toBe(false);
    expect(matchesFingerprint(a, '')).toBe(false);
    expect(JSON.stringify(a)).not.toContain('12345678');
  });
});

describe('parseClearRequest', () => {
  const good = request('x', 30_000, newGeneration());

  test('round-trips a request', () => {
    expect(parseClearRequest(JSON.stringify(good))).toEqual(good);
  });

  test.each([
    ['not JSON', 'nope'],
    ['not an object', '42'],
    ['version', JSON.stringify({ ...good, v: 2 })],
    ['negative delay', JSON.stringify({ ...good, delayMs: -1 })],
    ['fractional delay', JSON.stringify({ ...good, delayMs: 1.5 })],
    ['short salt', JSON.stringify({ ...good, salt: 'c2FsdA==' })],
    ['missing hash', JSON.stringify({ ...good, hash: undefined })],
    ['bad generation', JSON.stringify({ ...good, generation: 'secret-code' })],
    ['relative stateDir', JSON.stringify({ ...good, stateDir: 'run' })],
  ])('rejects %s without echoing the value', (_, json) => {
    expect(() => parseClearRequest(json)).toThrow(/^clear request/);
    try {
      parseClearRequest(json);
    } catch (error) {
      expect(String(error)).not.toContain('secret-code');
    }
  });
});

describe('clearerEnvironment', () => {
  test('is built from scratch with only PATH, DISPLAY, WAYLAND_DISPLAY and XDG_RUNTIME_DIR', () => {
    const source = {
      PATH: '/usr/bin',
      DISPLAY: ':7',
      WAYLAND_DISPLAY: '',
      XDG_RUNTIME_DIR: '/run/user/1000',
      LIFEBOAT_PASSPHRASE: 'hunter2',
      HOME: '/home/me',
    };
    expect(clearerEnvironment(source)).toEqual({ PATH: '/usr/bin', DISPLAY: ':7', XDG_RUNTIME_DIR: '/run/user/1000' });
  });
});

describe('probeClipboard and the error wording', () => {
  test('a readable clipboard is available', async () => {
    await expect(probeClipboard(new FakeClipboard())).resolves.toEqual({ available: true });
  });

  // The shapes below are clipboardy 5.3.2's (DEPENDENCIES.md §2).
  const noDisplay = Object.assign(
    new Error('Clipboard access requires a display server (X11 or Wayland). This doesn\'t work in headless environments like CI servers, Docker containers, or SSH sessions without X11 forwarding.'),
    { xselError: { stderr: 'xsel: Can\'t open display: (null)\n: Inappropriate ioctl for device' } },
  );
  const noXselNoDisplay = Object.assign(
    new Error('Couldn\'t find the `xsel` binary and fallback didn\'t work. On Debian/Ubuntu you can install xsel with: sudo apt install xsel'),
    { fallbackError: { stderr: 'xsel: Can\'t open display: (null)' } },
  );
  const noXselNoLibX11 = Object.assign(
    new Error('Couldn\'t find the `xsel` binary and fallback didn\'t work. On Debian/Ubuntu you can install xsel with: sudo apt install xsel'),
    { fallbackError: { stderr: 'xsel: error while loading shared libraries: libX11.so.6: cannot open shared object file' } },
  );
  const noPbcopy = Object.assign(new Error('spawn pbcopy ENOENT'), { code: 'ENOENT' });
  const otherFailure = Object.assign(new Error('Both xsel and fallback failed'), {
    xselError: { stderr: '\nxsel: Conversion refused\n' },
  });

  test.each([
    ['no display', noDisplay, /^no display server/, /without --copy/],
    ['no xsel and no display (clipboardy blames xsel)', noXselNoDisplay, /^no display server/, /without --copy/],
    ['no xsel and a broken fallback', noXselNoLibX11, /^no clipboard tool found/, /install xsel .* wl-clipboard/],
    ['no pbcopy', noPbcopy, /^no clipboard tool found/, /install xsel/],
    ['another failure', otherFailure, /^the clipboard tool failed: xsel: Conversion refused$/, /without --copy/],
    ['a bare error', new Error('boom'), /^the clipboard tool failed$/, /without --copy/],
  ])('%s gives a typed result with our own words', async (_, error, reason, hint) => {
    const clipboard = new FakeClipboard();
    clipboard.readError = error;
    const probe = await probeClipboard(clipboard);
    expect(probe.available).toBe(false);
    if (probe.available) return;
    expect(probe.reason).toMatch(reason);
    expect(probe.hint).toMatch(hint);
    expect(`${probe.reason} ${probe.hint}`).not.toMatch(/headless environments|sudo apt|\n|at .*\.js/);
    for (const words of [probe.reason, probe.hint]) expect(words).toMatch(/^[a-z].*[^.]$/);
  });

  test('describeClipboardFailure copes with things that are not errors', () => {
    expect(describeClipboardFailure(undefined).reason).toBe('the clipboard tool failed');
    expect(describeClipboardFailure('xsel: Can\'t open display').reason).toBe('the clipboard tool failed');
  });
});

describe('copy', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'lifeboat-clip-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  const neverSpawned = { execPath: '/nonexistent/node', entry: '/nonexistent/clearer.js', env: {} };

  test('with delay 0 copies, starts no clearer, and still supersedes an older pending clear', async () => {
    const clipboard = new FakeClipboard();
    const generations = generationFile(stateDir);
    const older = newGeneration();
    await generations.write(older);
    const receipt = await copy(clipboard, '4821-3907', { ...neverSpawned, stateDir, delaySeconds: 0 });
    expect(receipt).toEqual({ clearsAfterSeconds: null, clearerPid: null });
    expect(clipboard.content).toBe('4821-3907');
    const now = await generations.read();
    expect(now).not.toBeNull();
    expect(now).not.toBe(older);
  });

  test('the generation file is mode 0600 and holds no secret', async () => {
    await copy(new FakeClipboard(), '4821-3907', { ...neverSpawned, stateDir, delaySeconds: 0 });
    const [name] = await readdir(stateDir);
    expect(name).toBe('lifeboat-clipboard-generation');
    const file = join(stateDir, name ?? '');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^[0-9a-f]{32}\n$/);
  });

  test('a failed write throws ClipboardUnavailableError and restores the older pending clear', async () => {
    const clipboard = new FakeClipboard();
    clipboard.writeError = Object.assign(new Error('Clipboard access requires a display server'), {
      xselError: { stderr: 'xsel: Can\'t open display: (null)' },
    });
    const generations = generationFile(stateDir);
    const older = newGeneration();
    await generations.write(older);
    const failure = copy(clipboard, '4821-3907', { ...neverSpawned, stateDir, delaySeconds: 30 });
    await expect(failure).rejects.toBeInstanceOf(ClipboardUnavailableError);
    await expect(failure).rejects.toMatchObject({ message: expect.stringMatching(/^no display server/) });
    expect(await generations.read()).toBe(older);
  });

  test('a clearer that cannot start takes the text back off the clipboard and throws', async () => {
    const clipboard = new FakeClipboard();
    const failure = copy(clipboard, '4821-3907', { ...neverSpawned, stateDir, delaySeconds: 30 });
    await expect(failure).rejects.toMatchObject({
      name: 'ClipboardUnavailableError',
      reason: 'could not start the clipboard clearer',
    });
    expect(clipboard.writes).toEqual(['4821-3907', '']);
  });

  test('rejects a negative or non-finite delay', async () => {
    for (const delaySeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(copy(new FakeClipboard(), 'x', { ...neverSpawned, stateDir, delaySeconds })).rejects.toThrow(
        RangeError,
      );
    }
  });

  // A stand-in clearer that records what it was given into the state folder.
  const RECORDER = `
import { writeFileSync } from 'node:fs';
let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { stateDir } = JSON.parse(input);
writeFileSync(stateDir + '/record-' + process.pid + '.json', JSON.stringify({ argv: process.argv, env: process.env, input }));
`;

  interface Recorded {
    argv: string[];
    env: { [key: string]: string };
    input: string;
  }

  async function waitForRecord(pid: number): Promise<Recorded> {
    const file = join(stateDir, `record-${pid}.json`);
    for (let i = 0; i < 100; i += 1) {
      try {
        return JSON.parse(await readFile(file, 'utf8')) as Recorded;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error('the recorder never wrote its record');
  }

  test('the clearer gets no secret on argv, only the allowed variables, and a salted hash on stdin', async () => {
    const entry = join(stateDir, 'recorder.mjs');
    await writeFile(entry, RECORDER);
    const env = {
      PATH: '/usr/bin:/bin',
      DISPLAY: ':42',
      XDG_RUNTIME_DIR: stateDir,
      LIFEBOAT_PASSPHRASE: 'correct horse battery staple',
      HOME: '/home/someone',
    };
    const clipboard = new FakeClipboard();
    const code = '4821-3907';
    const plan = { execPath: process.execPath, entry, env, stateDir, delaySeconds: 30 };

    const first = await copy(clipboard, code, plan);
    expect(first.clearsAfterSeconds).toBe(30);
    const one = await waitForRecord(first.clearerPid ?? -1);
    const second = await copy(clipboard, code, plan);
    const two = await waitForRecord(second.clearerPid ?? -1);

    for (const record of [one, two]) {
      expect(record.argv).toEqual([process.execPath, entry]);
      expect(Object.keys(record.env).every((key) => (CLEARER_ENV_KEYS as readonly string[]).includes(key))).toBe(true);
      expect(record.env).toEqual({ PATH: '/usr/bin:/bin', DISPLAY: ':42', XDG_RUNTIME_DIR: stateDir });
      expect(JSON.stringify(record)).not.toContain(code);
      expect(JSON.stringify(record)).not.toContain('correct horse');
    }
    const a = parseClearRequest(one.input);
    const b = parseClearRequest(two.input);
    expect(a.delayMs).toBe(30_000);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(matchesFingerprint(a, code) && matchesFingerprint(b, code)).toBe(true);
    // The second copy owns the generation file: the first clearer would give way.
    expect(a.generation).not.toBe(b.generation);
    expect(await generationFile(stateDir).read()).toBe(b.generation);
  });
});
