import path from 'node:path';
import { UsageError } from './errors.js';

/**
 * Everything lifeboat reads from its environment, read once at start-up (README, "Environment").
 * The passphrase variables are taken out of `process.env` right here, so no child process inherits them.
 */

/** Where a passphrase comes from, when not from a prompt. */
export type PassphraseSource =
  | { readonly kind: 'value'; readonly variable: string; readonly value: string }
  | { readonly kind: 'file'; readonly variable: string; readonly path: string }
  | { readonly kind: 'command'; readonly variable: string; readonly command: string };

/** The environment as lifeboat understands it. */
export interface Settings {
  readonly vault: string | undefined;
  /** The vault passphrase's source, or an error to raise when one is needed (more than one was set). */
  readonly passphrase: PassphraseSource | UsageError | undefined;
  /** The new passphrase's source for `passwd` and `export`. */
  readonly newPassphrase: PassphraseSource | UsageError | undefined;
  /** The passphrase of another copy of the vault, for `merge` and the git merge driver. */
  readonly otherPassphrase: PassphraseSource | UsageError | undefined;
  readonly lockTimeoutMs: number;
  readonly clipSeconds: number;
  readonly debug: boolean;
  readonly color: boolean;
  /** The test-only hook: new vaults get libsodium's minimum key-derivation cost. */
  readonly insecureTestKdf: boolean;
  /** The few variables a helper process (the clipboard clearer) may see. */
  readonly childEnvironment: Readonly<Record<string, string>>;
  /** Where the clipboard clearer keeps its generation file (XDG_RUNTIME_DIR), if anywhere. */
  readonly runtimeDir: string | undefined;
  /**
   * The base of lifeboat's private state folder: `$XDG_STATE_HOME/lifeboat` when that is an absolute path, else
   * `$HOME/.local/state/lifeboat` when HOME is, else the error to raise when a command needs it (the XDG Base
   * Directory spec says a relative path in these variables is to be ignored).
   */
  readonly stateBase: string | UsageError;
  /** HOME, when it is an absolute path; an empty or relative one counts as unset. */
  readonly home: string | undefined;
  /** XDG_DATA_HOME, when it is an absolute path; the XDG Base Directory spec says to ignore a relative one. */
  readonly xdgDataHome: string | undefined;
}

/**
 * A base folder from the environment, or undefined when it is unset, empty or relative. The XDG Base
 * Directory Specification (0.8): "All paths set in these environment variables must be absolute. If an
 * implementation encounters a relative path in any of these variables it should consider the path invalid
 * and ignore it." An empty or relative HOME would put the vault under the current folder: ignored too.
 */
function absoluteFolder(value: string | undefined): string | undefined {
  return value !== undefined && value !== '' && path.isAbsolute(value) ? value : undefined;
}

/** The name of the test-only hook (docs/reliability.md, "Test seams"). */
export const TEST_KDF_VARIABLE = 'LIFEBOAT_INSECURE_TEST_KDF';

function takePassphraseSource(env: NodeJS.ProcessEnv, prefix: string): PassphraseSource | UsageError | undefined {
  const names = [prefix, `${prefix}_FILE`, `${prefix}_COMMAND`] as const;
  const values = names.map((name) => env[name]);
  for (const name of names) delete env[name];
  const set = names.filter((_, i) => values[i] !== undefined && values[i] !== '');
  if (set.length > 1) {
    return new UsageError(`only one of ${set.join(', ')} may be set`, `unset all but one of ${names.join(', ')}`);
  }
  const [value, file, command] = values;
  if (value) return { kind: 'value', variable: names[0], value };
  if (file) return { kind: 'file', variable: names[1], path: file };
  if (command) return { kind: 'command', variable: names[2], command };
  return undefined;
}

/** A number of seconds from 0 to `max`, written in plain decimal. */
function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw) || value > max) {
    throw new UsageError(`${name} must be a number of seconds from 0 to ${max} (got "${raw}")`, `set ${name} to a number such as ${fallback}`);
  }
  return value;
}

/** Where private state lives (see {@link Settings.stateBase}). */
function stateBase(env: NodeJS.ProcessEnv): string | UsageError {
  const xdg = env['XDG_STATE_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'lifeboat');
  const home = env['HOME'];
  if (home && path.isAbsolute(home)) return path.join(home, '.local', 'state', 'lifeboat');
  return new UsageError(
    'no folder for private state: neither XDG_STATE_HOME nor HOME is an absolute path',
    'set HOME, or XDG_STATE_HOME, to an absolute path',
  );
}

/**
 * Reads the environment and removes the passphrase variables from it. Call once, first thing.
 * Throws a UsageError for a malformed number.
 */
export function readSettings(env: NodeJS.ProcessEnv, stderrIsTty: boolean): Settings {
  const passphrase = takePassphraseSource(env, 'LIFEBOAT_PASSPHRASE');
  const newPassphrase = takePassphraseSource(env, 'LIFEBOAT_NEW_PASSPHRASE');
  const otherPassphrase = takePassphraseSource(env, 'LIFEBOAT_OTHER_PASSPHRASE');
  const childEnvironment: Record<string, string> = {};
  for (const name of ['PATH', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR']) {
    const value = env[name];
    if (value) childEnvironment[name] = value;
  }
  return {
    vault: env['LIFEBOAT_VAULT'] || undefined,
    passphrase,
    newPassphrase,
    otherPassphrase,
    lockTimeoutMs: seconds(env, 'LIFEBOAT_LOCK_TIMEOUT', 10, 3600) * 1000,
    clipSeconds: seconds(env, 'LIFEBOAT_CLIP_TIME', 30, 86400),
    debug: env['LIFEBOAT_DEBUG'] === '1',
    color: stderrIsTty && !env['NO_COLOR'] && env['TERM'] !== 'dumb',
    insecureTestKdf: env[TEST_KDF_VARIABLE] === '1',
    childEnvironment,
    runtimeDir: env['XDG_RUNTIME_DIR'] || undefined,
    stateBase: stateBase(env),
    home: absoluteFolder(env['HOME']),
    xdgDataHome: absoluteFolder(env['XDG_DATA_HOME']),
  };
}
