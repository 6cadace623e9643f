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

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

function parseOwner(text: string): LockOwner | null {
  const [pid, host, token] = text.trim().split(' ');
  const number = Number(pid);
  if (!Number.isInteger(number) || number <= 0 || !host || !token) return null;
  return { pid: number, host, token };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH');
  }
}

/** Reads a lock file: its owner (or null if empty or unreadable) and its age; undefined if it is gone. */
function inspect(file: string): { owner: LockOwner | null; ageMs: number } | undefined {
  try {
    const stat = fs.statSync(file);
    const text = fs.readFileSync(file, 'utf8');
    return { owner: parseOwner(text), ageMs: Date.now() - stat.mtimeMs };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw ioError(`cannot read the lock ${file}`, error);
  }
}

/** Whether a lock file was left by a process that is gone. */
function isStale(found: { owner: LockOwner | null; ageMs: number }): boolean {
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
function breakStaleLock(file: string): boolean {
  const breaker = `${file}.break`;
  const token = tryCreate(breaker);
  if (token === null) {
    const found = inspect(breaker);
    if (found && (found.ageMs > BREAK_STALE_MS || (found.owner && isStale(found)))) removeQuietly(breaker);
    return false;
  }
  try {
    const found = inspect(file);
    if (found && isStale(found)) removeQuietly(file);
    return true;
  } finally {
    const mine = inspect(breaker);
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
  let delay = 5;
  for (;;) {
    const token = tryCreate(file);
    if (token !== null) return heldLock(file, token);
    const found = inspect(file);
    // Try again at once after breaking a stale lock; if another process is breaking it, wait like for a live one.
    if (found && isStale(found) && breakStaleLock(file)) continue;
    if (Date.now() >= deadline) {
      const holder = found?.owner ? ` (held by process ${found.owner.pid} on ${found.owner.host})` : '';
      throw new VaultError(
        'locked',
        `the vault is in use by another lifeboat process${holder}`,
        `wait for it to finish, or raise LIFEBOAT_LOCK_TIMEOUT (seconds); if no lifeboat is running, remove ${file}`,
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
      const found = inspect(file);
      if (found?.owner?.token === token) removeQuietly(file);
    },
  };
}
