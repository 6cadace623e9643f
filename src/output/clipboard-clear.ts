/**
 * The timed clear of the clipboard: a detached helper process that wipes the clipboard after a delay, but only if it
 * still holds what lifeboat put there and no newer lifeboat copy has taken over.
 *
 * What the helper learns, and how: a random salt and a salted hash of the copied text, a random generation token, the
 * delay and the state folder, all as one JSON line on its stdin. Nothing secret is on its argv (world-readable in `ps`)
 * or in its environment, which is built from scratch out of four display and search-path variables.
 *
 * How a newer copy replaces an older pending clear: every copy first writes a fresh random generation token to a small
 * file in the state folder (mode 0600, no secret in it). Each clearer knows its own token and rereads the file once a
 * second while it waits; as soon as the file names another token it exits without touching the clipboard. Nobody sends
 * signals, so a recycled pid can never make us kill a stranger. If the file is gone (a wiped runtime folder) the clearer
 * still clears when the clipboard holds its text: the safe side for a secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ClipboardBackend } from './clipboard.js';

/** The only variables the clearer process is given; anything else in the source (a passphrase, HOME) is dropped. */
export const CLEARER_ENV_KEYS = ['PATH', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR'] as const;

/** Where the clearer's environment values come from: the caller's own environment values, passed in. */
export type ClearerEnvSource = { readonly [K in (typeof CLEARER_ENV_KEYS)[number]]?: string | undefined };

/** How to start the clearer: the Node binary, the built entry point, the environment source and the state folder. */
export interface ClearerLaunch {
  /** The Node binary to run the clearer with (the CLI passes `process.execPath`). */
  readonly execPath: string;
  /** Absolute path of the built entry point, `dist/cli/clipboard-clearer.js`. */
  readonly entry: string;
  /** Values for the clearer's environment; only {@link CLEARER_ENV_KEYS} are taken from it. */
  readonly env: ClearerEnvSource;
  /** Private folder (0700, ours) for the generation file; never a folder other accounts can write. */
  readonly stateDir: string;
}

/** A salted fingerprint of the copied text: enough to recognize it again, useless for guessing a short code. */
export interface ClipFingerprint {
  /** 32 random bytes, base64. */
  readonly salt: string;
  /** HMAC-SHA-256 of the text keyed by the salt, base64. */
  readonly hash: string;
}

/** Everything the clearer is told, as one JSON line on its stdin. */
export interface ClearRequest extends ClipFingerprint {
  /** Version of this request's shape; the entry point and `copy` ship together, so only 1 exists. */
  readonly v: 1;
  /** How long to wait before clearing, in milliseconds. */
  readonly delayMs: number;
  /** The token this clearer owns; any other token in the generation file means a newer copy took over. */
  readonly generation: string;
  /** The folder that holds the generation file. */
  readonly stateDir: string;
}

/** What a clearer did: wiped the clipboard, left a different content alone, gave way to a newer copy, or failed. */
export type ClearOutcome = 'cleared' | 'changed' | 'superseded' | 'unavailable';

/** The generation file of one state folder. */
export interface GenerationStore {
  /** The current token, or null when there is no readable file. */
  read(): Promise<string | null>;
  /** Replaces the token atomically (temporary file and rename), creating the folder with mode 0700 if needed. */
  write(generation: string): Promise<void>;
  /** Removes the file. */
  remove(): Promise<void>;
}

const GENERATION_FILE = 'lifeboat-clipboard-generation';
const GENERATION_PATTERN = /^[0-9a-f]{32}$/;
const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;
/** How often a waiting clearer looks whether a newer copy took over. */
const POLL_MS = 1000;

/** A salted fingerprint of `text`, with a fresh random salt (so two copies of one code never share a hash). */
export function fingerprint(text: string): ClipFingerprint {
  const salt = randomBytes(32);
  return { salt: salt.toString('base64'), hash: hmac(salt, text).toString('base64') };
}

/** Whether `text` is the text `print` was taken of, compared in constant time. */
export function matchesFingerprint(print: ClipFingerprint, text: string): boolean {
  const expected = Buffer.from(print.hash, 'base64');
  const actual = hmac(Buffer.from(print.salt, 'base64'), text);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hmac(salt: Buffer, text: string): Buffer {
  return createHmac('sha256', salt).update(text, 'utf8').digest();
}

/** A fresh random generation token (128 bits, hex). */
export function newGeneration(): string {
  return randomBytes(16).toString('hex');
}

/** The clearer's environment, built from scratch: only {@link CLEARER_ENV_KEYS} that are set and non-empty. */
export function clearerEnvironment(source: ClearerEnvSource): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of CLEARER_ENV_KEYS) {
    const value = source[key];
    if (typeof value === 'string' && value !== '') env[key] = value;
  }
  return env;
}

/** The generation file in `stateDir`. It holds a random token and a newline, never anything about the copied text. */
export function generationFile(stateDir: string): GenerationStore {
  const file = join(stateDir, GENERATION_FILE);
  return {
    async read() {
      // Never follow a planted link, never wait on a FIFO, never read more than a token's worth.
      let handle;
      try {
        handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      } catch {
        return null;
      }
      try {
        if (!(await handle.stat()).isFile()) return null;
        const buffer = Buffer.alloc(64);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        const token = buffer.subarray(0, bytesRead).toString('utf8').trim();
        return GENERATION_PATTERN.test(token) ? token : null;
      } catch {
        return null;
      } finally {
        await handle.close();
      }
    },
    async write(generation) {
      await mkdir(stateDir, { recursive: true, mode: 0o700 });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, `${generation}\n`, { mode: 0o600, flag: 'wx' });
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async remove() {
      await rm(file, { force: true });
    },
  };
}

/**
 * Checks and parses the clearer's stdin. Throws a plain `Error` naming the first bad field (never echoing a value), so a
 * garbled request makes the clearer exit without touching the clipboard.
 */
export function parseClearRequest(json: string): ClearRequest {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error('clear request is not JSON');
  }
  if (typeof data !== 'object' || data === null) throw new Error('clear request is not an object');
  const r = data as Record<string, unknown>;
  if (r['v'] !== 1) throw new Error('clear request: unknown version');
  const { delayMs, salt, hash, generation, stateDir } = r;
  if (typeof delayMs !== 'number' || !Number.isSafeInteger(delayMs) || delayMs < 0) {
    throw new Error('clear request: bad delayMs');
  }
  if (typeof salt !== 'string' || !BASE64_32_BYTES.test(salt)) throw new Error('clear request: bad salt');
  if (typeof hash !== 'string' || !BASE64_32_BYTES.test(hash)) throw new Error('clear request: bad hash');
  if (typeof generation !== 'string' || !GENERATION_PATTERN.test(generation)) {
    throw new Error('clear request: bad generation');
  }
  if (typeof stateDir !== 'string' || !isAbsolute(stateDir)) throw new Error('clear request: bad stateDir');
  return { v: 1, delayMs, salt, hash, generation, stateDir };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The clearer's whole job: wait `request.delayMs` (by the wall clock, so a suspended laptop clears on wake-up), giving
 * way at once to a newer copy; then clear the clipboard only if it still holds the fingerprinted text. Never throws and
 * never prints; the outcome is for tests.
 */
export async function runClearer(
  backend: ClipboardBackend,
  request: ClearRequest,
  generations: GenerationStore,
): Promise<ClearOutcome> {
  const superseded = async (): Promise<boolean> => {
    const current = await generations.read();
    return current !== null && current !== request.generation;
  };
  const deadline = Date.now() + request.delayMs;
  for (let left = request.delayMs; left > 0; left = deadline - Date.now()) {
    await sleep(Math.min(POLL_MS, left));
    if (await superseded()) return 'superseded';
  }
  try {
    if (!matchesFingerprint(request, await backend.read())) return 'changed';
    // Look once more right before the write: a newer copy of the same text may have landed during the read.
    if (await superseded()) return 'superseded';
    await backend.write('');
    return 'cleared';
  } catch {
    return 'unavailable';
  }
}

/** What {@link startClearer} needs beyond the launch: the delay, the copied text and the generation it owns. */
export interface ClearerStart extends ClearerLaunch {
  readonly delaySeconds: number;
  readonly text: string;
  readonly generation: string;
}

/**
 * Spawns the detached clearer and hands it its request over stdin, then lets it go (`unref`), so the terminal is free
 * at once. Resolves with the clearer's pid once the request is written; rejects if the process cannot be started.
 */
export async function startClearer(start: ClearerStart): Promise<number> {
  const request: ClearRequest = {
    v: 1,
    delayMs: Math.round(start.delaySeconds * 1000),
    ...fingerprint(start.text),
    generation: start.generation,
    stateDir: start.stateDir,
  };
  const child = spawn(start.execPath, [start.entry], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: clearerEnvironment(start.env),
    cwd: start.stateDir,
    windowsHide: true,
  });
  await once(child, 'spawn');
  const stdin = child.stdin;
  const pid = child.pid;
  if (stdin === null || pid === undefined) throw new Error('the clipboard clearer started without a pid or stdin');
  // A clearer that dies before reading would make the write fail with EPIPE; that must not crash the caller.
  const written = new Promise<void>((resolve, reject) => {
    stdin.on('error', reject);
    stdin.end(`${JSON.stringify(request)}\n`, () => resolve());
  });
  await written;
  child.unref();
  return pid;
}
