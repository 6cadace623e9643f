import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';
import type { VaultContent } from '../../src/domain/index.js';
import { loadCrypto } from '../../src/vault/crypto.js';
import { VaultError } from '../../src/vault/errors.js';
import { decryptVault } from '../../src/vault/format.js';
import { BIN, ROOT } from '../support/cli.js';

/**
 * Shared pieces of the proof suites (issue 5): a sandbox with its own random passphrase, an async
 * runner of the real binary (optionally under the fs shim), and the one-line figures each suite prints.
 */

export { BIN, ROOT };
/** The test-only file-system shim, loaded with `node --import` (docs/reliability.md, "Test seams"). */
export const FS_SHIM = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fs-shim.mjs');
/** A stack trace line, which must never reach a user's terminal. */
export const STACK_TRACE = /\n\s+at /;

/** Registers an afterAll that prints each figure as one `proof: …` line; returns the list to push to. */
export function figures(): string[] {
  const lines: string[] = [];
  afterAll(() => {
    for (const line of lines) console.log(`proof: ${line}`);
  });
  return lines;
}

/** The result of one run of the binary. */
export interface ProofRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number;
  readonly ms: number;
}

/** Options of one async run. */
export interface ProofRunOptions {
  readonly input?: string;
  /** Variables to add; `undefined` removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Load the fs shim. */
  readonly shim?: boolean;
  /** SIGKILL the process this many milliseconds after it started. */
  readonly killAfterMs?: number;
  /** A shell umask to run under (`sh -c 'umask U; exec node …'`). */
  readonly umask?: string;
  readonly timeoutMs?: number;
}

/** The environment every run starts from: the machine's, without any LIFEBOAT_ variable. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('LIFEBOAT_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return env;
}

/**
 * Runs `node [--import fs-shim] bin/lifeboat.js …` in a session of its own (no controlling terminal,
 * like the e2e harness's setsid), asynchronously so that many can run at once.
 */
export function runAsync(args: readonly string[], env: Record<string, string>, options: ProofRunOptions = {}): Promise<ProofRun> {
  const nodeArgs = [...(options.shim ? ['--import', pathToFileURL(FS_SHIM).href] : []), BIN, ...args];
  const merged = { ...env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  const quoted = [process.execPath, ...nodeArgs].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const [command, argv] = options.umask !== undefined ? ['/bin/sh', ['-c', `umask ${options.umask}; exec ${quoted}`]] : [process.execPath, nodeArgs];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: merged, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined); // a killed child closes its stdin early
    child.stdin.end(options.input ?? '');
    const timers: NodeJS.Timeout[] = [];
    if (options.killAfterMs !== undefined) timers.push(setTimeout(() => child.kill('SIGKILL'), options.killAfterMs));
    timers.push(setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      for (const timer of timers) clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, pid: child.pid ?? 0, ms: Date.now() - started });
    });
  });
}

/** A scratch folder with a vault path, a random passphrase (in a file too) and the variables to use them. */
export interface ProofBox {
  readonly dir: string;
  readonly folder: string;
  readonly vault: string;
  readonly passphrase: string;
  readonly passphraseFile: string;
  readonly env: Record<string, string>;
  run(args: readonly string[], options?: ProofRunOptions): Promise<ProofRun>;
  /** The vault's content, decrypted in-process, or the VaultError kind that stopped it. */
  state(file?: string, passphrase?: string): Promise<VaultContent | string>;
  cleanup(): void;
}

/** A random passphrase no other test on the machine uses, so a scan of /proc finds only ours. */
export function randomPassphrase(): string {
  return `proof-pass-${randomBytes(9).toString('hex')}`;
}

/** Makes a sandbox. The passphrase reaches the binary through LIFEBOAT_PASSPHRASE_FILE. */
export function proofBox(options: { cheapKdf?: boolean } = {}): ProofBox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-proof-'));
  const folder = path.join(dir, 'data');
  const vault = path.join(folder, 'vault.lifeboat');
  const passphrase = randomPassphrase();
  const passphraseFile = path.join(dir, 'passphrase.txt');
  fs.writeFileSync(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
  const env = cleanEnv();
  env['LIFEBOAT_VAULT'] = vault;
  env['LIFEBOAT_PASSPHRASE_FILE'] = passphraseFile;
  if (options.cheapKdf !== false) env['LIFEBOAT_INSECURE_TEST_KDF'] = '1';
  return {
    dir,
    folder,
    vault,
    passphrase,
    passphraseFile,
    env,
    run: (args, runOptions) => runAsync(args, env, runOptions),
    state: (file = vault, pass = passphrase) => readState(file, pass),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Decrypts a vault file in-process: its content, or the kind of VaultError (or "missing"). */
export async function readState(file: string, passphrase: string): Promise<VaultContent | string> {
  await loadCrypto();
  if (!fs.existsSync(file)) return 'missing';
  try {
    return decryptVault(new Uint8Array(fs.readFileSync(file)), new Uint8Array(Buffer.from(passphrase.normalize('NFC'), 'utf8'))).content;
  } catch (error) {
    if (error instanceof VaultError) return error.kind;
    throw error;
  }
}

/** Random codes in Instagram's shape (8 digits, grouped 4 + 4), distinct. */
export function randomCodes(count: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) {
    const n = String(randomBytes(4).readUInt32BE(0) % 100_000_000).padStart(8, '0');
    seen.add(`${n.slice(0, 4)} ${n.slice(4)}`);
  }
  return [...seen];
}

/** The codes of an account's batches, each with whether it is spent. */
export function codesOf(content: VaultContent, account: string): { code: string; spent: boolean }[] {
  const found = content.accounts.find((a) => a.name === account);
  if (!found) return [];
  return found.batches.flatMap((batch) => batch.codes.map((code) => ({ code: code.code, spent: code.spentAt !== null })));
}

/** How many codes of an account are spent. */
export function spentCount(content: VaultContent, account: string): number {
  return codesOf(content, account).filter((code) => code.spent).length;
}

/** Files in a folder, sorted, or [] if it is missing. */
export function namesIn(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}

/** Runs async tasks with at most `limit` at once, in order of `items`. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= items.length) return;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
