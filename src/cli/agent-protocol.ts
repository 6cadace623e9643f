import fs from 'node:fs';
import path from 'node:path';

/**
 * The unlock agent's protocol, the one module both sides import (README, "Unlock session"): where the socket
 * lives and how its folder is checked, the messages, their framing and their time-outs.
 *
 * Framing: one JSON object per line (UTF-8, ending in "\n"), at most {@link MAX_MESSAGE_BYTES} bytes; a client
 * sends one request and reads one response, then both sides close. The messages carry the vault's derived keys
 * (base64) and never a passphrase. Node cannot read the uid of a socket's peer, so who may connect is decided by
 * the file system alone: the socket sits in a folder of the user's own, mode 0700, inside `$XDG_RUNTIME_DIR`
 * (a per-user folder the login manager creates, mode 0700: XDG Base Directory Specification,
 * https://specifications.freedesktop.org/basedir-spec/latest/). Both sides check that folder's owner and mode
 * every time: the agent when it starts and on every connection, the client before every connection.
 */

/** The protocol's version, in every message's `v`. */
export const PROTOCOL_VERSION = 1;
/** The largest message either side accepts (a key response is about 200 bytes). */
export const MAX_MESSAGE_BYTES = 4096;
/** How long a client waits for the agent's answer, and the agent for a client's request. */
export const MESSAGE_TIMEOUT_MS = 2000;
/** How long `unlock` waits for a new agent to say it is listening. */
export const START_TIMEOUT_MS = 5000;
/** A session ends after this long without use, unless `--for` says otherwise. */
export const DEFAULT_IDLE_MS = 15 * 60 * 1000;
/** No session lasts longer than this, used or not; `--for` cannot ask for more. */
export const MAX_SESSION_MS = 8 * 60 * 60 * 1000;
/** What a new agent writes on its standard output once its socket listens. */
export const READY_LINE = 'ready';

/** The agent's folder under the runtime folder: `$XDG_RUNTIME_DIR/lifeboat`. */
export function agentFolder(runtimeDir: string): string {
  return path.join(runtimeDir, 'lifeboat');
}

/** The agent's socket: `$XDG_RUNTIME_DIR/lifeboat/agent.sock`. */
export function agentSocket(runtimeDir: string): string {
  return path.join(agentFolder(runtimeDir), 'agent.sock');
}

/** Why a runtime folder cannot hold the agent's socket, or null when it can (it must be an absolute path). */
export function runtimeDirProblem(runtimeDir: string | undefined): string | null {
  if (runtimeDir === undefined || runtimeDir === '') return 'XDG_RUNTIME_DIR is not set';
  if (!path.isAbsolute(runtimeDir)) return `XDG_RUNTIME_DIR is not an absolute path (${runtimeDir})`;
  return null;
}

/**
 * Why the agent's folder (and its socket, if there) is unsafe to use, or null when it is a real folder owned by
 * this user with mode 0700 and the socket is a socket of this user that others cannot open.
 */
export function folderProblem(folder: string): string | null {
  const uid = process.getuid?.();
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(folder);
  } catch {
    return `the unlock session's folder ${folder} cannot be read`;
  }
  if (!stat.isDirectory()) return `the unlock session's folder ${folder} is not a folder`;
  if (uid !== undefined && stat.uid !== uid) return `the unlock session's folder ${folder} belongs to another user (uid ${stat.uid})`;
  const mode = stat.mode & 0o777;
  if (mode & 0o077) return `the unlock session's folder ${folder} has mode ${mode.toString(8)}, so other users may reach it`;
  const socket = path.join(folder, 'agent.sock');
  let socketStat: fs.Stats;
  try {
    socketStat = fs.lstatSync(socket);
  } catch {
    return null;
  }
  if (!socketStat.isSocket()) return `${socket} is not a socket`;
  if (uid !== undefined && socketStat.uid !== uid) return `${socket} belongs to another user (uid ${socketStat.uid})`;
  return null;
}

/** Starts an agent: written once to its standard input by `unlock`, never on its command line or environment. */
export interface StartRequest {
  readonly v: typeof PROTOCOL_VERSION;
  /** The runtime folder ($XDG_RUNTIME_DIR) the socket goes under. */
  readonly runtimeDir: string;
  /** The vault's real path: the session serves this vault only. */
  readonly vault: string;
  readonly keys: WireKeys;
  /** The session ends after this long without a `get`. */
  readonly idleMs: number;
  /** The session ends this long after it started, used or not. */
  readonly lifetimeMs: number;
}

/** Derived keys on the wire: base64 of the bytes, with the salt and cost they were derived for. */
export interface WireKeys {
  readonly salt: string;
  readonly passes: number;
  readonly memoryKiB: number;
  readonly encryption: string;
  readonly check: string;
}

/** A client's request: the keys for a vault, the session's state, or its end. */
export type Request =
  | { readonly v: typeof PROTOCOL_VERSION; readonly op: 'get'; readonly vault: string }
  | { readonly v: typeof PROTOCOL_VERSION; readonly op: 'status' }
  | { readonly v: typeof PROTOCOL_VERSION; readonly op: 'lock' };

/** The agent's answer. `until` is an ISO time: when the session ends if it is not used again. */
export type Response =
  | { readonly v: typeof PROTOCOL_VERSION; readonly ok: true; readonly op: 'get'; readonly keys: WireKeys; readonly until: string }
  | { readonly v: typeof PROTOCOL_VERSION; readonly ok: true; readonly op: 'status'; readonly vault: string; readonly until: string; readonly pid: number }
  | { readonly v: typeof PROTOCOL_VERSION; readonly ok: true; readonly op: 'lock' }
  | { readonly v: typeof PROTOCOL_VERSION; readonly ok: false; readonly reason: 'other-vault' | 'bad-request' };

/** Frames a message as one line. Throws if it is larger than {@link MAX_MESSAGE_BYTES} (a caller bug). */
export function encodeMessage(message: StartRequest | Request | Response): string {
  const line = `${JSON.stringify(message)}\n`;
  if (Buffer.byteLength(line) > MAX_MESSAGE_BYTES) throw new RangeError('agent message too large');
  return line;
}

type Fields = Record<string, unknown>;

function object(value: unknown): Fields | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
}

function parseLine(line: string): Fields | null {
  try {
    const value = object(JSON.parse(line));
    return value && value['v'] === PROTOCOL_VERSION ? value : null;
  } catch {
    return null;
  }
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function parseKeys(value: unknown): WireKeys | null {
  const keys = object(value);
  if (!keys) return null;
  const { salt, passes, memoryKiB, encryption, check } = keys;
  if (!isText(salt) || !isCount(passes) || !isCount(memoryKiB) || !isText(encryption) || !isText(check)) return null;
  return { salt, passes, memoryKiB, encryption, check };
}

/** Reads a start request; null if malformed. */
export function parseStartRequest(line: string): StartRequest | null {
  const fields = parseLine(line);
  if (!fields) return null;
  const { runtimeDir, vault, idleMs, lifetimeMs } = fields;
  const keys = parseKeys(fields['keys']);
  if (!keys || !isText(runtimeDir) || !isText(vault) || !isCount(idleMs) || !isCount(lifetimeMs)) return null;
  if (lifetimeMs > MAX_SESSION_MS || idleMs > MAX_SESSION_MS) return null;
  return { v: PROTOCOL_VERSION, runtimeDir, vault, keys, idleMs, lifetimeMs };
}

/** Reads a client's request; null if malformed. */
export function parseRequest(line: string): Request | null {
  const fields = parseLine(line);
  if (!fields) return null;
  if (fields['op'] === 'get' && isText(fields['vault'])) return { v: PROTOCOL_VERSION, op: 'get', vault: fields['vault'] };
  if (fields['op'] === 'status') return { v: PROTOCOL_VERSION, op: 'status' };
  if (fields['op'] === 'lock') return { v: PROTOCOL_VERSION, op: 'lock' };
  return null;
}

/** Reads the agent's response; null if malformed. */
export function parseResponse(line: string): Response | null {
  const fields = parseLine(line);
  if (!fields) return null;
  if (fields['ok'] === false) {
    const reason = fields['reason'];
    return reason === 'other-vault' || reason === 'bad-request' ? { v: PROTOCOL_VERSION, ok: false, reason } : null;
  }
  if (fields['ok'] !== true) return null;
  const { op, until, vault, pid } = fields;
  if (op === 'lock') return { v: PROTOCOL_VERSION, ok: true, op };
  if (!isText(until)) return null;
  if (op === 'status' && isText(vault) && isCount(pid)) return { v: PROTOCOL_VERSION, ok: true, op, vault, until, pid };
  const keys = parseKeys(fields['keys']);
  if (op === 'get' && keys) return { v: PROTOCOL_VERSION, ok: true, op, keys, until };
  return null;
}

/**
 * Reads one line from a stream: resolves with it (without "\n"), or with null when the stream ends first, grows
 * past {@link MAX_MESSAGE_BYTES}, fails, or takes longer than `timeoutMs`.
 */
export function readLine(stream: NodeJS.ReadableStream, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (line: string | null): void => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onEnd);
      resolve(line);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const end = buffer.indexOf(0x0a);
      size += end < 0 ? buffer.length : end;
      if (size > MAX_MESSAGE_BYTES) return finish(null);
      if (end < 0) return void chunks.push(buffer);
      chunks.push(buffer.subarray(0, end));
      finish(Buffer.concat(chunks).toString('utf8'));
    };
    const onEnd = (): void => finish(null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onEnd);
  });
}

/**
 * Sends one request to the agent listening on `socket` and reads its answer. Resolves with null when no agent
 * answers (no socket, a socket left by a killed agent, a time-out, a malformed answer).
 */
export async function ask(socket: string, request: Request, timeoutMs = MESSAGE_TIMEOUT_MS): Promise<Response | null> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const connection = net.createConnection(socket);
    const done = (response: Response | null): void => {
      connection.destroy();
      resolve(response);
    };
    connection.once('error', () => done(null));
    connection.once('connect', () => {
      readLine(connection, timeoutMs).then((line) => done(line === null ? null : parseResponse(line)), () => done(null));
      connection.write(encodeMessage(request));
    });
  });
}
