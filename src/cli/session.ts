import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openVaultWithKeys, type OpenVault, type SessionKeys, type VaultOptions } from '../vault/index.js';
import {
  PROTOCOL_VERSION,
  READY_LINE,
  START_TIMEOUT_MS,
  agentFolder,
  agentSocket,
  ask,
  encodeMessage,
  folderProblem,
  readLine,
  runtimeDirProblem,
  type StartRequest,
  type WireKeys,
} from './agent-protocol.js';
import { CliError } from './errors.js';
import type { Settings } from './settings.js';

/**
 * The client side of the unlock session (README, "Unlock session"): start the agent, ask it for a vault's keys,
 * end it, and say whether one is open. The agent itself is src/cli/unlock-agent.ts; both speak agent-protocol.ts.
 */

/** The agent's entry point, beside this module once compiled (dist/cli/unlock-agent.js). */
const AGENT_ENTRY = fileURLToPath(new URL('./unlock-agent.js', import.meta.url));

/** What `status` says about the session. `until` is an ISO time; `vault` is the real path of the vault it serves. */
export interface SessionStatus {
  readonly open: boolean;
  readonly until?: string;
  readonly vault?: string;
}

/** The real path of a vault, as the agent keys its session (a symlink and its target are one vault). */
function realVault(vaultFile: string): string {
  try {
    return fs.realpathSync(vaultFile);
  } catch {
    return vaultFile;
  }
}

/** The socket to talk to, or null when there is no runtime folder or no socket in it (no session, nothing said). */
function socketIfAny(settings: Pick<Settings, 'runtimeDir'>): { folder: string; socket: string } | null {
  const runtimeDir = settings.runtimeDir;
  if (runtimeDir === undefined || runtimeDirProblem(runtimeDir) !== null) return null;
  const socket = agentSocket(runtimeDir);
  return fs.existsSync(socket) ? { folder: agentFolder(runtimeDir), socket } : null;
}

/** Whether an unlock session is open, for which vault and until when. Never throws; an unsafe folder counts as none. */
export async function sessionStatus(settings: Pick<Settings, 'runtimeDir'>): Promise<SessionStatus> {
  const place = socketIfAny(settings);
  if (!place || folderProblem(place.folder) !== null) return { open: false };
  const response = await ask(place.socket, { v: PROTOCOL_VERSION, op: 'status' });
  if (!response?.ok || response.op !== 'status') return { open: false };
  return { open: true, until: response.until, vault: response.vault };
}

function toWire(keys: SessionKeys): WireKeys {
  const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  return { salt: base64(keys.salt), passes: keys.cost.passes, memoryKiB: keys.cost.memoryKiB, encryption: base64(keys.encryption), check: base64(keys.check) };
}

function fromWire(keys: WireKeys): SessionKeys {
  const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
  return { salt: bytes(keys.salt), cost: { passes: keys.passes, memoryKiB: keys.memoryKiB }, encryption: bytes(keys.encryption), check: bytes(keys.check) };
}

/**
 * Opens the vault with the keys of an unlock session for this very vault, or resolves to null (then the caller asks
 * for the passphrase). An unsafe socket folder is not used and the user is told why; keys that no longer fit the
 * file (its passphrase changed) end the session.
 */
export async function openFromSession(settings: Pick<Settings, 'runtimeDir'>, vaultFile: string, options: VaultOptions): Promise<OpenVault | null> {
  const place = socketIfAny(settings);
  if (!place) return null;
  const problem = folderProblem(place.folder);
  if (problem) {
    options.warn(`not using the unlock session: ${problem} (run \`chmod 700 ${place.folder}\`, or remove it)`);
    return null;
  }
  const vault = realVault(vaultFile);
  const response = await ask(place.socket, { v: PROTOCOL_VERSION, op: 'get', vault });
  if (!response?.ok || response.op !== 'get') return null;
  const keys = fromWire(response.keys);
  try {
    const opened = await openVaultWithKeys(vault, keys, options);
    if (opened) return opened;
  } finally {
    keys.encryption.fill(0);
    keys.check.fill(0);
  }
  await ask(place.socket, { v: PROTOCOL_VERSION, op: 'lock' });
  options.warn("the unlock session's key no longer opens the vault (its passphrase was changed), so the session was ended");
  return null;
}

/**
 * The socket folder for `unlock` and `lock`: refuses without a safe runtime folder, saying why. `unlock` calls it
 * before asking for the passphrase, so nothing is typed in vain.
 */
export function requireRuntime(settings: Pick<Settings, 'runtimeDir'>): { runtimeDir: string; folder: string; socket: string } {
  const runtimeDir = settings.runtimeDir;
  const missing = runtimeDirProblem(runtimeDir);
  if (missing !== null || runtimeDir === undefined) {
    throw new CliError(`${missing ?? 'XDG_RUNTIME_DIR is not set'}: the unlock session needs a private runtime folder for its socket`, {
      hint: 'log in through a session that sets XDG_RUNTIME_DIR (systemd-logind does), or type the passphrase each time',
    });
  }
  const folder = agentFolder(runtimeDir);
  if (fs.existsSync(folder)) {
    const problem = folderProblem(folder);
    if (problem) throw new CliError(`refusing the unlock session: ${problem}`, { hint: `run \`chmod 700 ${folder}\`, or remove that folder` });
  }
  return { runtimeDir, folder, socket: agentSocket(runtimeDir) };
}

/**
 * Ends the unlock session, if one is open (for `vaultFile` only, when given). Resolves to whether one was ended.
 * Throws only for an unsafe socket folder, and only when `strict` (the `lock` command).
 */
export async function endSession(settings: Pick<Settings, 'runtimeDir'>, options: { vaultFile?: string; strict?: boolean } = {}): Promise<boolean> {
  // Without a runtime folder there can be no session here: nothing to end, and nothing wrong with saying so.
  const place = options.strict && runtimeDirProblem(settings.runtimeDir) === null ? requireRuntime(settings) : socketIfAny(settings);
  if (!place || !fs.existsSync(place.socket) || folderProblem(place.folder) !== null) return false;
  if (options.vaultFile !== undefined) {
    const status = await ask(place.socket, { v: PROTOCOL_VERSION, op: 'status' });
    if (!status?.ok || status.op !== 'status' || status.vault !== realVault(options.vaultFile)) return false;
  }
  const response = await ask(place.socket, { v: PROTOCOL_VERSION, op: 'lock' });
  return response?.ok === true;
}

/** How long a new session lasts: `idleMs` without use, `lifetimeMs` at most. */
export interface SessionTiming {
  readonly idleMs: number;
  readonly lifetimeMs: number;
}

/**
 * Starts the agent with a vault's keys, ending any session open before (one session at a time). The agent gets an
 * empty environment and no arguments; the keys go over its stdin. Resolves with the session's end if unused.
 */
export async function startSession(settings: Pick<Settings, 'runtimeDir'>, vaultFile: string, keys: SessionKeys, timing: SessionTiming): Promise<Date> {
  const { runtimeDir, socket } = requireRuntime(settings);
  if (fs.existsSync(socket)) await ask(socket, { v: PROTOCOL_VERSION, op: 'lock' });
  const request: StartRequest = { v: PROTOCOL_VERSION, runtimeDir, vault: realVault(vaultFile), keys: toWire(keys), ...timing };
  const started = Date.now();
  // Loaded here only: every command that opens the vault imports this module, and none of them spawns anything.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [AGENT_ENTRY], { detached: true, stdio: ['pipe', 'pipe', 'ignore'], env: {}, cwd: '/' });
  const { stdin, stdout } = child;
  const failed = (why: string): CliError =>
    new CliError(`could not start the unlock agent: ${why}`, { hint: 'nothing was unlocked; commands still ask for the passphrase' });
  try {
    const spawned = await new Promise<boolean>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', () => resolve(false));
    });
    if (!spawned || stdin === null || stdout === null) throw failed('it did not start');
    stdin.on('error', () => undefined);
    stdin.end(encodeMessage(request));
    const line = await readLine(stdout, START_TIMEOUT_MS);
    if (line !== READY_LINE) {
      child.kill();
      throw failed(line?.startsWith('error ') ? line.slice('error '.length) : 'it did not answer');
    }
    stdout.destroy();
    child.unref();
  } finally {
    keys.encryption.fill(0);
    keys.check.fill(0);
  }
  return new Date(Math.min(started + timing.idleMs, started + timing.lifetimeMs));
}
