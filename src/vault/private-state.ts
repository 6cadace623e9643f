import fs from 'node:fs';
import path from 'node:path';
import { FOLDER_MODE, createFile, ioError, isCode, replaceFile } from './atomic-file.js';
import { VaultError } from './errors.js';

/**
 * lifeboat's private state folder: small files that must not sit where other accounts can write, such as the
 * clipboard clearer's generation token and the device id of the sync rules (docs/vault-format.md, 6.5).
 *
 * The folder is `$XDG_STATE_HOME/lifeboat`, else `$HOME/.local/state/lifeboat` (the command line computes that base
 * from its environment and passes it in). It is created mode 0700 and, on every use, must still be a real folder (not a
 * symlink) owned by this user with no permission for group or others; anything else is refused, never repaired, since a
 * folder someone else controls may hold files planted to mislead us. Files in it are opened with `O_NOFOLLOW |
 * O_NONBLOCK` (a symlink or a FIFO planted there can neither redirect nor hang a read), must be regular files owned by
 * this user, and are at most {@link PRIVATE_FILE_MAX_BYTES}; they are written crash-safely with mode 0600.
 */

/** The largest private file read or written: these files hold a token or an id, never anything big. */
export const PRIVATE_FILE_MAX_BYTES = 64 * 1024;

/** The name of the file that holds this device's id. */
const DEVICE_FILE = 'device';
/** A device id: 16 lowercase hex digits (64 random bits). */
const DEVICE_ID = /^[0-9a-f]{16}$/;
/** A private file's name: one plain path component. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function unsafe(folder: string, why: string): VaultError {
  return new VaultError(
    'unsafe-path',
    `refusing the private state folder ${folder}: ${why}`,
    `lifeboat keeps private state there; remove it (or fix it with \`chmod 700 ${folder}\` if it is yours) and try again`,
  );
}

/** Checks that `folder` is a real folder, ours, with no permission for group or others. */
function checkFolder(folder: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(folder);
  } catch (error) {
    throw ioError(`cannot use the private state folder ${folder}`, error);
  }
  if (stat.isSymbolicLink()) throw unsafe(folder, 'it is a symbolic link');
  if (!stat.isDirectory()) throw unsafe(folder, 'it is not a folder');
  const uid = currentUid();
  if (uid !== undefined && stat.uid !== uid) throw unsafe(folder, `it belongs to another user (uid ${stat.uid})`);
  const mode = stat.mode & 0o777;
  if (mode & 0o077) throw unsafe(folder, `other users have access to it (mode ${mode.toString(8)})`);
}

function checkName(name: string): void {
  // A name with a slash or a dot-dot could leave the folder; the callers are ours, so this is a programming error.
  if (!FILE_NAME.test(name)) throw new Error(`not a private file name: ${JSON.stringify(name)}`);
}

/**
 * Ensures the private state folder `base` exists (created mode 0700, with any missing parents) and checks it; returns
 * its path. Throws an `unsafe-path` VaultError when it is a symlink, not a folder, someone else's, or open to others.
 */
export function privateFolder(base: string): string {
  if (!path.isAbsolute(base)) throw new Error(`the private state folder must be an absolute path: ${base}`);
  const folder = path.normalize(base);
  try {
    fs.mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw ioError(`cannot create the private state folder ${folder}`, error);
  }
  checkFolder(folder);
  return folder;
}

/**
 * Reads the private file `name` in `folder` (checked again first), or returns null when there is none. Refuses with an
 * `unsafe-path` VaultError a symlink, anything but a regular file (a FIFO is opened non-blocking and refused, not
 * waited on), a file owned by someone else, or one larger than {@link PRIVATE_FILE_MAX_BYTES}.
 */
export function readPrivateFile(folder: string, name: string, maxBytes: number = PRIVATE_FILE_MAX_BYTES): Uint8Array | null {
  checkName(name);
  checkFolder(folder);
  const file = path.join(folder, name);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    if (isCode(error, 'ELOOP')) throw unsafeFile(file, 'it is a symbolic link');
    throw ioError(`cannot read ${file}`, error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw unsafeFile(file, 'it is not a regular file');
    const uid = currentUid();
    if (uid !== undefined && stat.uid !== uid) throw unsafeFile(file, `it belongs to another user (uid ${stat.uid})`);
    if (stat.size > maxBytes) throw unsafeFile(file, `it is larger than ${maxBytes} bytes`);
    // Read one byte more than the cap, so a file that grew after the fstat is caught too.
    const buffer = new Uint8Array(Math.min(maxBytes, stat.size + 4096) + 1);
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes || length === buffer.length) throw unsafeFile(file, `it is larger than ${maxBytes} bytes, or grew while it was read`);
    }
    return buffer.slice(0, length);
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw ioError(`cannot read ${file}`, error);
  } finally {
    fs.closeSync(fd);
  }
}

function unsafeFile(file: string, why: string): VaultError {
  return new VaultError('unsafe-path', `refusing ${file}: ${why}`, `remove ${file}; lifeboat writes it again when needed`);
}

/**
 * Replaces the private file `name` in `folder` (checked again first) with `bytes`, crash-safely and with mode 0600:
 * a temp file in the same folder, fsync, rename. A symlink planted at the name is replaced, never followed.
 */
export function writePrivateFile(folder: string, name: string, bytes: Uint8Array, maxBytes: number = PRIVATE_FILE_MAX_BYTES): void {
  checkName(name);
  if (bytes.length > maxBytes) throw new Error(`a private file is at most ${maxBytes} bytes`);
  checkFolder(folder);
  replaceFile(path.join(folder, name), bytes);
}

/**
 * This device's stable id, 16 lowercase hex digits, kept in the file `device` of the private folder `folder`.
 *
 * On first use the id is drawn with `newId` (which must return 16 lowercase hex digits) and the file is created
 * exclusively, so two processes starting at once agree on one id. A file that does not hold a well-formed id (edited,
 * truncated) is replaced by a fresh one, and `warn`, when given, is told so in one sentence: the device then counts
 * as a new device for the sync rules, which is safe but worth saying. A file that cannot be trusted at all (a
 * symlink, a FIFO, someone else's) is refused with an `unsafe-path` VaultError, not replaced.
 */
export function deviceId(folder: string, newId: () => string, warn?: (message: string) => void): string {
  const existing = readDeviceFile(folder);
  if (existing.kind === 'valid') return existing.id;
  const id = newId();
  if (!DEVICE_ID.test(id)) throw new Error('a device id must be 16 lowercase hex digits');
  const bytes = new TextEncoder().encode(`${id}\n`);
  if (existing.kind === 'malformed') {
    writePrivateFile(folder, DEVICE_FILE, bytes);
    warn?.(`the device id in ${path.join(folder, DEVICE_FILE)} was malformed and was replaced by a new one`);
    return id;
  }
  try {
    createFile(path.join(folder, DEVICE_FILE), bytes);
    return id;
  } catch (error) {
    if (!(error instanceof VaultError && error.kind === 'exists')) throw error;
  }
  // Another process created it first: its id is the one.
  const raced = readDeviceFile(folder);
  if (raced.kind === 'valid') return raced.id;
  throw new VaultError('io', `cannot settle the device id in ${path.join(folder, DEVICE_FILE)}`, 'try again');
}

function readDeviceFile(folder: string): { kind: 'valid'; id: string } | { kind: 'missing' } | { kind: 'malformed' } {
  const bytes = readPrivateFile(folder, DEVICE_FILE);
  if (bytes === null) return { kind: 'missing' };
  const text = new TextDecoder().decode(bytes);
  const id = text.endsWith('\n') ? text.slice(0, -1) : text;
  return DEVICE_ID.test(id) ? { kind: 'valid', id } : { kind: 'malformed' };
}
