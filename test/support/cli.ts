import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real `bin/lifeboat.js` as a child process, the way a user's shell does, on a temp vault.
 * The child is started in a new session (`setsid`), so it has no controlling terminal: every prompt
 * path sees "no terminal", as under cron or CI.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'lifeboat.js');
export const PASSPHRASE = 'correct horse battery staple';

const SETSID = spawnSync('setsid', ['--version'], { stdio: 'ignore' }).status === 0;

/** The result of one run. */
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one run. */
export interface RunOptions {
  /** Text on standard input (otherwise /dev/null). */
  readonly input?: string;
  /** Variables to add; `undefined` removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Use the cheap test-only key derivation (default true). */
  readonly cheapKdf?: boolean;
  readonly cwd?: string;
}

/** A scratch folder with a vault path inside, removed by `cleanup`. */
export interface Sandbox {
  readonly dir: string;
  readonly vault: string;
  run(args: readonly string[], options?: RunOptions): Run;
  cleanup(): void;
}

/** The environment every run starts from: no passphrase variables or vault path of the developer's. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('LIFEBOAT_')) continue;
    env[key] = value;
  }
  return env;
}

/** Runs the binary with the given arguments. */
export function runBin(args: readonly string[], env: Record<string, string>, options: RunOptions = {}): Run {
  // setsid gives the child a session of its own, without the developer's terminal (util-linux).
  const [command, prefix] = SETSID ? ['setsid', ['--wait', process.execPath]] : [process.execPath, []];
  const result: SpawnSyncReturns<string> = spawnSync(command, [...prefix, BIN, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    env,
    cwd: options.cwd,
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Makes a sandbox: a temp folder, a vault path in a sub-folder the first `init` creates. */
export function sandbox(): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-e2e-'));
  const vault = path.join(dir, 'data', 'vault.lifeboat');
  return {
    dir,
    vault,
    run(args, options = {}) {
      const env = baseEnv();
      env['LIFEBOAT_VAULT'] = vault;
      env['LIFEBOAT_PASSPHRASE'] = PASSPHRASE;
      // This device's private state (device id, what it saw of each vault) lives in the sandbox too.
      env['XDG_STATE_HOME'] = path.join(dir, 'state');
      if (options.cheapKdf !== false) env['LIFEBOAT_INSECURE_TEST_KDF'] = '1';
      for (const [key, value] of Object.entries(options.env ?? {})) {
        if (value === undefined) delete env[key];
        else env[key] = value;
      }
      return runBin(args, env, options);
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Codes in the shape Instagram uses, invented. */
export function instagramCodes(count: number, seed = 1): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String((seed * 7919 + i * 104729) % 100000000).padStart(8, '0');
    return `${n.slice(0, 4)} ${n.slice(4)}`;
  });
}

/** Asserts nothing: returns the lines of stderr without the test-hook warning, for exact comparisons. */
export function talk(run: Run): string[] {
  return run.stderr
    .split('\n')
    .filter((line) => line !== '' && !line.includes('LIFEBOAT_INSECURE_TEST_KDF'));
}

/** The bytes of a file, or null if it is missing. */
export function bytesOf(file: string): Buffer | null {
  return fs.existsSync(file) ? fs.readFileSync(file) : null;
}

/** The names in a folder, sorted. */
export function namesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}
