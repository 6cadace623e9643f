import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { FILE_MODE, isCode, ioError, randomHex, removeQuietly } from './atomic-file.js';
import { VaultError } from './errors.js';

/**
 * The lock that serializes read-modify-write of a vault between processes (docs/vault-format.md, 6.3).
 *
 * The lock is a file `<vault>.lock` created exclusively, holding the owner's pid, host and a random token.
 * A lock whose owner is dead is stale. Breaking a stale lock is itself guarded by a second exclusive file,
 * `<vault>.lock.break`, so that of many processes finding the same stale lock exactly one replaces it, and
 * none can remove a lock that another has just taken over.
 */

/** A held lock. `release` is idempotent. */
export interface Lock {
  release(): void;
}

/** How long a lock may be held before it is considered abandoned even if its pid is alive (pid reuse). */
const ABANDONED_MS = 5 * 60 * 1000;
/** A lock or break file that is still empty this long after its creation was left by a killed process. */
const EMPTY_GRACE_MS = 2000;
/** A break file older than this was left by a killed process (it is held for microseconds). */
const BREAK_STALE_MS = 5000;
/** A lock line is `<pid> <host> <token>\n`; anything much longer is not one of ours. */
const MAX_LOCK_BYTES = 1024;
/** How much of a host name a message shows: it comes from a file others may have written. */
const HOST_SHOWN = 64;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** A lock (or break) file as read: its owner (null if empty or not our format), its age, and its identity. */
interface Found {
  readonly owner: LockOwner | null;
  readonly ageMs: number;
  /** The file's inode and content: the same lock, as long as neither changes, however often its mtime is renewed. */
  readonly identity: string;
}

/**
 * When this process's wait first saw each lock (by identity). A lock's age is the larger of its mtime's age and the
 * time we have watched it, so a lock whose mtime keeps being renewed (by a forger, a sync tool or a stuck process)
 * still grows old in our eyes (docs/vault-format.md, 6.3).
 */
type Watch = Map<string, number>;

function parseOwner(text: string): LockOwner | null {
  const fields = text.endsWith('\n') ? text.slice(0, -1).split(' ') : [];
  const [pid, host, token] = fields;
  const number = Number(pid);
  if (fields.length !== 3 || !/^[1-9]\d{0,9}$/.test(pid ?? '') || !host || !/^[0-9a-f]{16}$/.test(token ?? '')) return null;
  return { pid: number, host, token: token ?? '' };
}

/**
 * Whether the process that wrote a lock on this host may still be running. A lock file is ours (its owner is checked
 * when it is read), so it was written by a lifeboat running as this user: a pid that `kill(pid, 0)` refuses with EPERM
 * belongs to another user now and was reused, and pid 1 is the init process, never a lifeboat sharing our vault. Both
 * count as gone, like ESRCH; without this a lock naming pid 1 would count as alive until it is five minutes old.
 */
function isAlive(pid: number): boolean {
  if (pid === 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH') && !isCode(error, 'EPERM');
  }
}

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** A host name from a lock file, fit for a message: control characters dropped, at most 64 characters. */
export function shownHost(host: string): string {
  const clean = host.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '');
  return clean.length > HOST_SHOWN ? `${clean.slice(0, HOST_SHOWN)}…` : clean;
}

function removalHint(file: string): string {
  return `if no lifeboat is running, remove ${file} (\`rm ${file}\`) and try again`;
}

/** A lock we cannot read: the system's error code, the file, and how to remove it. */
function unreadableLock(file: string, error: unknown): VaultError {
  return new VaultError('io', ioError(`cannot read the lock ${file}`, error).message, removalHint(file));
}

/** A lock file we will not touch: a symlink, a FIFO, a folder, someone else's, or too big to be one of ours. */
function foreignLock(file: string, why: string): VaultError {
  return new VaultError('locked', `the lock ${file} is not a lock of lifeboat's: ${why}`, removalHint(file));
}

/**
 * Reads a lock file without ever blocking or following a link (`O_NOFOLLOW | O_NONBLOCK`: a FIFO named like the lock
 * must not hang us past the time-out): its owner, its age as seen by this wait, its identity; undefined if it is gone.
 * Throws `locked` at once for a file that is not a regular file of ours of at most {@link MAX_LOCK_BYTES}.
 */
function inspect(file: string, watch: Watch): Found | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    if (isCode(error, 'ELOOP')) throw foreignLock(file, 'it is a symbolic link');
    throw unreadableLock(file, error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw foreignLock(file, 'it is not a regular file');
    const uid = currentUid();
    if (uid !== undefined && stat.uid !== uid) throw foreignLock(file, `it belongs to another user (uid ${stat.uid})`);
    if (stat.size > MAX_LOCK_BYTES) throw foreignLock(file, `it is larger than ${MAX_LOCK_BYTES} bytes`);
    const buffer = Buffer.alloc(MAX_LOCK_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length <= MAX_LOCK_BYTES; length += read) {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_LOCK_BYTES) throw foreignLock(file, `it is larger than ${MAX_LOCK_BYTES} bytes`);
    const text = buffer.subarray(0, length).toString('utf8');
    const identity = `${stat.dev}:${stat.ino}:${text}`;
    const now = Date.now();
    const firstSeen = watch.get(identity) ?? now;
    watch.set(identity, firstSeen);
    return { owner: parseOwner(text), ageMs: Math.max(now - stat.mtimeMs, now - firstSeen), identity };
  } catch (error) {
    if (error instanceof VaultError) throw error;
    if (isCode(error, 'ENOENT')) return undefined;
    throw unreadableLock(file, error);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a lock file was left by a process that is gone. */
function isStale(found: Found): boolean {
  if (!found.owner) return found.ageMs > EMPTY_GRACE_MS;
  if (found.ageMs > ABANDONED_MS) return true;
  return found.owner.host === os.hostname() && !isAlive(found.owner.pid);
}

/** Tries once to create the lock file exclusively. Returns our token on success, null if it exists. */
function tryCreate(file: string): string | null {
  const token = randomHex(8);
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', FILE_MODE);
  } catch (error) {
    if (isCode(error, 'EEXIST')) return null;
    throw ioError(`cannot create the lock ${file}`, error);
  }
  try {
    try {
      fs.writeSync(fd, `${process.pid} ${os.hostname()} ${token}\n`);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    // A lock we could not finish writing (ENOSPC, EIO) would make others wait out its grace period, and the
    // raw error would read as an internal error: remove our own half-made file and say what failed.
    removeQuietly(file);
    throw ioError(`cannot create the lock ${file}`, error);
  }
  return token;
}

/**
 * Removes a stale lock, holding the break file so that no other process removes a lock in between.
 * Re-inspects the lock once the break file is held: it may have been replaced by a live owner meanwhile.
 * Returns false when another process holds the break file (the caller then waits before trying again).
 */
function breakStaleLock(file: string, watch: Watch): boolean {
  const breaker = `${file}.break`;
  const token = tryCreate(breaker);
  if (token === null) {
    const found = inspect(breaker, watch);
    if (found && (found.ageMs > BREAK_STALE_MS || (found.owner && isStale(found)))) removeQuietly(breaker);
    return false;
  }
  try {
    const found = inspect(file, watch);
    if (found && isStale(found)) removeQuietly(file);
    return true;
  } finally {
    const mine = inspect(breaker, watch);
    if (mine?.owner?.token === token) removeQuietly(breaker);
  }
}

/**
 * Takes the lock of a vault, waiting up to `timeoutMs` for another process to release it, and breaking a
 * stale one. Throws `locked` (naming the holder's pid) when the wait runs out.
 */
export async function acquireLock(vaultFile: string, timeoutMs: number): Promise<Lock> {
  const file = `${vaultFile}.lock`;
  const deadline = Date.now() + timeoutMs;
  const watch: Watch = new Map();
  let delay = 5;
  for (;;) {
    const token = tryCreate(file);
    if (token !== null) return heldLock(file, token);
    const found = inspect(file, watch);
    // Try again at once after breaking a stale lock; if another process is breaking it, wait like for a live one.
    if (found && isStale(found) && breakStaleLock(file, watch)) continue;
    if (Date.now() >= deadline) {
      const holder = found?.owner
        ? ` (held by process ${found.owner.pid} on ${shownHost(found.owner.host)}, according to ${file})`
        : found
          ? ` (the lock ${file} is empty or not in lifeboat's format)`
          : '';
      const where = found?.owner && found.owner.host !== os.hostname() ? ` on ${shownHost(found.owner.host)}` : '';
      throw new VaultError(
        'locked',
        `the vault is in use by another lifeboat process${holder}`,
        `wait for it to finish, or raise LIFEBOAT_LOCK_TIMEOUT (seconds); if no lifeboat is running${where}, remove ${file} (\`rm ${file}\`)`,
      );
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())) + Math.random() * 5);
    delay = Math.min(delay * 2, 100);
  }
}

function heldLock(file: string, token: string): Lock {
  let released = false;
  return {
    release(): void {
      if (released) return;
      released = true;
      try {
        const found = inspect(file, new Map());
        if (found?.owner?.token === token) removeQuietly(file);
      } catch {
        // Our lock was replaced by something we will not touch: leave it, the next command says what it is.
      }
    },
  };
}
