/**
 * Entry point of the unlock agent, spawned detached by `lifeboat unlock` (src/cli/session.ts) as
 * `node dist/cli/unlock-agent.js` with an empty environment and nothing else on its command line.
 *
 * It reads one start request from stdin (the vault's derived keys, never the passphrase; see agent-protocol.ts),
 * listens on `$XDG_RUNTIME_DIR/lifeboat/agent.sock` in a folder of mode 0700, says "ready" on stdout, and then
 * hands the keys to clients that ask for this vault. It forgets them and exits on `lock`, when the session times
 * out (after its idle time without a `get`, and at the latest at its lifetime's end, both judged by the wall clock
 * so a suspended laptop does not stretch a session), when its folder is no longer private or its socket is gone
 * (looked at on every connection and every 10 seconds), and on SIGTERM, SIGINT or SIGHUP. It never prints anything else and loads no libsodium: the keys are only bytes to it.
 */
import fs from 'node:fs';
import net from 'node:net';
import {
  MESSAGE_TIMEOUT_MS,
  PROTOCOL_VERSION,
  READY_LINE,
  START_TIMEOUT_MS,
  agentFolder,
  agentSocket,
  ask,
  encodeMessage,
  folderProblem,
  parseRequest,
  parseStartRequest,
  readLine,
  type Response,
  type WireKeys,
} from './agent-protocol.js';

/** How often the wall clock is looked at, so a session ends on time even after the machine slept. */
const CLOCK_CHECK_MS = 10_000;

/** The keys as bytes we can wipe, and the rest of the session. */
interface Session {
  readonly vault: string;
  readonly salt: string;
  readonly passes: number;
  readonly memoryKiB: number;
  readonly encryption: Buffer;
  readonly check: Buffer;
  readonly idleMs: number;
  readonly endsAt: number;
  lastUse: number;
}

function fail(reason: string): never {
  process.stdout.write(`error ${reason}\n`);
  process.exit(1);
}

async function start(): Promise<void> {
  process.umask(0o077);
  const line = await readLine(process.stdin, START_TIMEOUT_MS);
  process.stdin.destroy();
  const request = line === null ? null : parseStartRequest(line);
  if (!request) fail('malformed start request');
  const now = Date.now();
  const session: Session = {
    vault: request.vault,
    salt: request.keys.salt,
    passes: request.keys.passes,
    memoryKiB: request.keys.memoryKiB,
    encryption: Buffer.from(request.keys.encryption, 'base64'),
    check: Buffer.from(request.keys.check, 'base64'),
    idleMs: request.idleMs,
    endsAt: now + request.lifetimeMs,
    lastUse: now,
  };

  const folder = agentFolder(request.runtimeDir);
  const socket = agentSocket(request.runtimeDir);
  try {
    fs.mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') fail(`cannot create ${folder}`);
  }
  const problem = folderProblem(folder);
  if (problem) fail(problem);
  if (fs.existsSync(socket)) {
    // A socket nobody answers on was left by an agent that was killed; a live one is not ours to replace.
    if (await ask(socket, { v: PROTOCOL_VERSION, op: 'status' })) fail('another unlock agent is running');
    fs.rmSync(socket, { force: true });
  }

  const until = (): number => Math.min(session.endsAt, session.lastUse + session.idleMs);
  let ended = false;
  let socketInode = -1;
  let timer: NodeJS.Timeout | undefined;
  const server = net.createServer();

  const end = (): void => {
    if (ended) return;
    ended = true;
    session.encryption.fill(0);
    session.check.fill(0);
    clearTimeout(timer);
    try {
      // Remove the socket only while it is still ours (an `unlock` may already have replaced it).
      if (fs.lstatSync(socket).ino === socketInode) fs.rmSync(socket, { force: true });
    } catch {
      // Already gone.
    }
    server.close();
    process.exit(0);
  };
  /** Whether our socket is still where clients look for it, in a private folder (a logout may remove the folder). */
  const stillReachable = (): boolean => {
    try {
      return folderProblem(folder) === null && fs.lstatSync(socket).ino === socketInode;
    } catch {
      return false;
    }
  };
  const watchClock = (): void => {
    const left = until() - Date.now();
    if (left <= 0 || !stillReachable()) return end();
    timer = setTimeout(watchClock, Math.min(left, CLOCK_CHECK_MS));
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, end);

  const answer = (line: string | null): Response => {
    const request = line === null ? null : parseRequest(line);
    if (!request) return { v: PROTOCOL_VERSION, ok: false, reason: 'bad-request' };
    if (request.op === 'lock') return { v: PROTOCOL_VERSION, ok: true, op: 'lock' };
    if (request.op === 'status') {
      return { v: PROTOCOL_VERSION, ok: true, op: 'status', vault: session.vault, until: new Date(until()).toISOString(), pid: process.pid };
    }
    if (request.vault !== session.vault) return { v: PROTOCOL_VERSION, ok: false, reason: 'other-vault' };
    session.lastUse = Date.now();
    const keys: WireKeys = {
      salt: session.salt,
      passes: session.passes,
      memoryKiB: session.memoryKiB,
      encryption: session.encryption.toString('base64'),
      check: session.check.toString('base64'),
    };
    return { v: PROTOCOL_VERSION, ok: true, op: 'get', keys, until: new Date(until()).toISOString() };
  };

  server.on('connection', (connection) => {
    connection.on('error', () => connection.destroy());
    // Checked again on every connection: if the folder was opened to others, the key is forgotten at once.
    if (ended || folderProblem(folder) !== null || Date.now() >= until()) {
      connection.destroy();
      end();
      return;
    }
    void readLine(connection, MESSAGE_TIMEOUT_MS).then((line) => {
      const response = answer(line);
      connection.end(encodeMessage(response), () => {
        if (response.ok && response.op === 'lock') end();
      });
    });
  });
  server.on('error', () => fail(`cannot listen on ${socket}`));

  await new Promise<void>((resolve) => server.listen(socket, resolve));
  socketInode = fs.lstatSync(socket).ino;
  watchClock();
  process.stdout.end(`${READY_LINE}\n`);
}

await start();
