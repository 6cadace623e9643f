import fs from 'node:fs';
import path from 'node:path';
import { VaultError } from './errors.js';

/**
 * Crash-safe file writes (docs/vault-format.md, section 6 "On disk").
 *
 * Every call goes through the `fs` module object (never a destructured import) so that the test-only
 * file-system shim (docs/reliability.md, "Test seams") can log and fail each step.
 */

/** Random hex digits from the Web Crypto source every Node process has, without loading node:crypto. */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Mode of every file we create: owner read and write only. */
export const FILE_MODE = 0o600;
/** Mode of a folder we create: owner only. */
export const FOLDER_MODE = 0o700;

/** The prefix of our temp files: `.<vault name>.tmp-`, in the vault's own folder. */
export function tempPrefix(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-`);
}

/**
 * Whether two files' bytes are the same (a vault read twice, a conflict copy before it is removed). Files are
 * ciphertext, nothing secret, so this is a plain comparison (memcmp), not a constant-time one.
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Reads a regular file, or returns null when it does not exist. It is opened non-blocking and checked with fstat
 * before any read, so a FIFO or a device planted at the vault's or the backup's name is refused at once instead of
 * hanging the command (issue 11, finding 4).
 */
export function readFileOrNull(file: string): Uint8Array | null {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw ioError(`cannot read ${file}`, error);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new VaultError('unsafe-path', `${file} is not a regular file`, `move it away; a vault is a regular file`);
    const bytes = fs.readFileSync(fd);
    // A large file gets a buffer of its own, kept as it is; a small one sits in Node's shared pool and is copied out.
    return bytes.byteLength === bytes.buffer.byteLength ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw ioError(`cannot read ${file}`, error);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether an error is a Node system error with this code. */
export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** What a file-system error code means, in words, and what to do about it (never a bare errno). */
const IO_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  ENOENT: ['the file or its folder does not exist', 'check the path, or create the folder first'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'check the path'],
  EISDIR: ['it is a folder, not a file', 'give the path of a file'],
  EACCES: ['permission denied', 'check the owner and mode of the file and its folder with `ls -ld`'],
  EPERM: ['the operation is not permitted', 'check the owner and mode of the file and its folder with `ls -ld`'],
  EROFS: ['the file system is read-only', 'choose a path on a writable disk'],
  ENOSPC: ['the disk is full', 'free some space, then try again'],
  EDQUOT: ['the disk quota is exhausted', 'free some space, then try again'],
  EIO: ['the disk reported an input/output error', 'check the disk; copy the vault elsewhere if it is failing'],
  ELOOP: ['too many symbolic links on the path', 'check the path'],
  ENAMETOOLONG: ['the path is too long', 'choose a shorter path'],
  EMFILE: ['too many files are open', 'close some programs, then try again'],
};

/** A VaultError for a failed file-system call: what failed, why in words (with the system's code), and a hint. */
export function ioError(what: string, error: unknown): VaultError {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return new VaultError('io', what);
  const words = IO_WORDS[code];
  if (!words) return new VaultError('io', `${what} (${code})`);
  return new VaultError('io', `${what}: ${words[0]} (${code})`, words[1]);
}

/**
 * Writes bytes to a fresh temp file beside `target`, fsyncs it and returns its name. On any failure the
 * temp file is removed and the error rethrown: nothing is left behind.
 */
function writeTemp(target: string, bytes: Uint8Array): string {
  const temp = `${tempPrefix(target)}${process.pid}-${randomHex(6)}`;
  let fd: number | undefined;
  try {
    // 'wx' = O_CREAT | O_EXCL: never follows a symlink planted at that name, never reuses a file.
    fd = fs.openSync(temp, 'wx', FILE_MODE);
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    return temp;
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(temp);
    throw ioError(`cannot write ${target}, so nothing was changed`, error);
  }
}

/** fsyncs a folder so that a rename inside it survives a power cut (no-op where folders can't be opened). */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The refusal of a folder where a file was meant. */
function folderRefusal(target: string): VaultError {
  return new VaultError('unsafe-path', `${target} is a folder, not a file: nothing was written`, `give a file name, such as ${path.join(target, 'codes.txt')}`);
}

/**
 * Refuses to replace what is not a regular file or a symlink (which rename replaces, never follows): a
 * FIFO, a device node or a socket would otherwise be swapped for a file of codes (as root, `/dev/full`
 * became one: issue 11, finding 5), and a folder gets its own words.
 */
function checkReplaceable(target: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw ioError(`cannot check ${target}`, error);
  }
  if (stat.isDirectory()) throw folderRefusal(target);
  if (!stat.isFile() && !stat.isSymbolicLink()) {
    throw new VaultError(
      'unsafe-path',
      `${target} is not a regular file (a FIFO, a device or a socket): nothing was written`,
      'give the name of a regular file, or of a new one',
    );
  }
}

/**
 * Replaces `target` with `bytes` crash-safely: temp file, fsync, an optional last check, rename, fsync of
 * the folder. `beforeRename` runs just before the rename and may throw to abandon the write (the temp file
 * is then removed). A failure of the folder fsync is reported as `durability-unknown`: the rename happened.
 * Only a regular file (or a symlink, itself replaced) is ever replaced.
 */
export function replaceFile(target: string, bytes: Uint8Array, beforeRename?: () => void): void {
  checkReplaceable(target);
  const temp = writeTemp(target, bytes);
  try {
    beforeRename?.();
    checkReplaceable(target);
    fs.renameSync(temp, target);
  } catch (error) {
    removeQuietly(temp);
    if (error instanceof VaultError) throw error;
    throw ioError(`cannot replace ${target}, so nothing was changed`, error);
  }
  try {
    syncFolder(path.dirname(target));
  } catch (error) {
    throw new VaultError(
      'durability-unknown',
      `the change was saved, but the system could not confirm it reached the disk${errorCode(error)}`,
      'run `lifeboat list` to check the vault; if the disk is failing, copy the vault elsewhere',
    );
  }
}

/**
 * Creates `target` with `bytes` only if nothing exists there, crash-safely (temp file, fsync, link, fsync
 * folder). `link` fails on an existing name, so two processes can never both create it.
 */
export function createFile(target: string, bytes: Uint8Array): void {
  const temp = writeTemp(target, bytes);
  try {
    fs.linkSync(temp, target);
  } catch (error) {
    removeQuietly(temp);
    if (isCode(error, 'EEXIST')) throw isFolder(target) ? folderRefusal(target) : new VaultError('exists', `${target} already exists`);
    throw ioError(`cannot create ${target}`, error);
  }
  removeQuietly(temp);
  try {
    syncFolder(path.dirname(target));
  } catch (error) {
    throw new VaultError('durability-unknown', `${target} was created, but the system could not confirm it reached the disk${errorCode(error)}`);
  }
}

function isFolder(target: string): boolean {
  try {
    return fs.lstatSync(target).isDirectory();
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? ` (${code})` : '';
}

/** Removes a file, ignoring every error (used only to clean up after a failure). */
export function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Already gone, or the folder is read-only: nothing more we can do.
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The descriptor is unusable either way.
  }
}

/**
 * Removes temp files left beside `target` by a killed process. Called while holding the lock, so no
 * live lifeboat process is writing one.
 */
export function removeLeftoverTemps(target: string): number {
  const folder = path.dirname(target);
  const prefix = path.basename(tempPrefix(target));
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    removeQuietly(path.join(folder, name));
    removed += 1;
  }
  return removed;
}

/**
 * Makes sure the vault's folder exists. A folder we create is 0700; an existing one is never chmod-ed.
 * Returns the mode of an existing folder, so the caller can warn when other users can read it.
 */
export function ensureFolder(folder: string): { created: boolean; mode: number } {
  try {
    const stat = fs.statSync(folder);
    if (!stat.isDirectory()) throw new VaultError('unsafe-path', `${folder} is not a folder`);
    return { created: false, mode: stat.mode & 0o777 };
  } catch (error) {
    if (error instanceof VaultError) throw error;
    if (!isCode(error, 'ENOENT')) throw ioError(`cannot use the folder ${folder}`, error);
  }
  try {
    fs.mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
  } catch (error) {
    throw ioError(`cannot create the folder ${folder}`, error);
  }
  return { created: true, mode: FOLDER_MODE };
}
