import fs from 'node:fs';
import path from 'node:path';
import type { VaultContent } from '../domain/index.js';
import {
  createFile,
  ensureFolder,
  readFileOrNull,
  removeLeftoverTemps,
  replaceFile,
} from './atomic-file.js';
import { equalBytes, loadCrypto, wipe, wipeKeys, type DerivedKeys } from './crypto.js';
import { VaultError } from './errors.js';
import {
  CAP_COST,
  DEFAULT_COST,
  FLOOR_COST,
  decryptWithKeys,
  deriveForHeader,
  encryptWithKeys,
  isBelowFloor,
  newSalt,
  parseHeader,
  type Header,
  type KdfCost,
} from './format.js';
import { folderWarnings } from './folder-safety.js';
import { acquireLock } from './lock.js';

/**
 * A vault file on disk, opened with a passphrase: the verbs the command line uses.
 * See docs/vault-format.md, section 6, for the order of file-system steps every save follows.
 */

/** Where a vault's backup copy lives: beside it, a mirror of the last durable generation (6.2). */
export function backupPath(vaultFile: string): string {
  return `${vaultFile}.backup`;
}

/** Options shared by every verb that touches the disk. */
export interface VaultOptions {
  /** How long to wait for another process's lock, in milliseconds. */
  readonly lockTimeoutMs: number;
  /** Receives warnings for the user (a weak cost, a readable file, a failed backup). */
  readonly warn: (message: string) => void;
  /** Whether to warn when the vault's key-derivation cost is below the floor (default true). */
  readonly warnBelowFloor?: boolean;
}

/** What `update` hands back: the change's own result. */
export interface UpdateResult<T> {
  readonly content: VaultContent;
  readonly result: T;
}

/** An opened vault. Holds the derived keys until `close`. */
export interface OpenVault {
  readonly path: string;
  /** The content as last read or written. */
  readonly content: VaultContent;
  /** The key-derivation cost in the file's header. */
  readonly cost: KdfCost;
  /**
   * Applies a change under the lock: re-reads the file, applies `change` to what is on disk now, saves
   * crash-safely, then refreshes the backup. The key is not derived again unless the file's key
   * parameters changed. If `change` throws, nothing is written.
   */
  update<T>(change: (content: VaultContent) => UpdateResult<T>): Promise<T>;
  /** Re-encrypts the vault under a new passphrase with a fresh salt (`passwd`), and its backup too. */
  rekey(newPassphrase: Uint8Array, cost: KdfCost): Promise<void>;
  /** Wipes the derived keys. */
  close(): void;
}

interface Unlocked {
  header: Header;
  keys: DerivedKeys;
  bytes: Uint8Array;
  content: VaultContent;
}

/** Decrypts bytes, reusing keys when the header asks for the same salt and cost. */
function unlock(bytes: Uint8Array, passphrase: Uint8Array, previous: Unlocked | undefined): Unlocked {
  const header = parseHeader(bytes);
  const sameKey =
    previous !== undefined &&
    equalBytes(previous.header.salt, header.salt) &&
    previous.header.cost.passes === header.cost.passes &&
    previous.header.cost.memoryKiB === header.cost.memoryKiB;
  const keys = sameKey ? previous.keys : deriveForHeader(passphrase, header);
  try {
    const content = decryptWithKeys(bytes, header, keys);
    if (!sameKey && previous) wipeKeys(previous.keys);
    return { header, keys, bytes, content };
  } catch (error) {
    if (!sameKey) wipeKeys(keys);
    throw error;
  }
}

/** Adds the backup's location to an "unopenable" error, so the user knows where to turn. */
function withBackupHint(error: unknown, vaultFile: string): unknown {
  if (error instanceof VaultError && (error.kind === 'damaged' || error.kind === 'not-a-vault' || error.kind === 'kdf-limit')) {
    const backup = backupPath(vaultFile);
    if (fs.existsSync(backup)) {
      return new VaultError(error.kind, `${error.message} (a backup is at ${backup})`, 'run `lifeboat restore-backup` to bring it back');
    }
  }
  return error;
}

function warnAboutPermissions(file: string, warn: (message: string) => void): void {
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) warn(`${file} can be read by other users (mode ${mode.toString(8)}): run \`chmod 600 ${file}\``);
  } catch {
    // The file is gone again: the read that follows will say so.
  }
}

function missing(vaultFile: string): VaultError {
  return new VaultError('missing', `no vault at ${vaultFile}`, 'run `lifeboat init` to create one, or pass --vault PATH');
}

/**
 * The real file behind a path. A vault reached through a symlink (into a sync folder, say) is saved
 * beside its target, so that the rename replaces the file and not the link.
 */
function realFile(vaultFile: string): string {
  try {
    return fs.realpathSync(vaultFile);
  } catch {
    return vaultFile;
  }
}

/** Removes temp files left by a killed process beside the vault and beside its backup. */
function removeLeftovers(vaultFile: string): void {
  removeLeftoverTemps(vaultFile);
  removeLeftoverTemps(backupPath(vaultFile));
}

/** Opens an existing vault: reads it and derives the key once. */
export async function openVault(location: string, suppliedPassphrase: Uint8Array, options: VaultOptions): Promise<OpenVault> {
  await loadCrypto();
  const vaultFile = realFile(location);
  // Our own copy, kept only to derive again if another process changes the key parameters meanwhile.
  const passphrase = suppliedPassphrase.slice();
  const bytes = readFileOrNull(vaultFile);
  if (!bytes) throw missing(vaultFile);
  let state: Unlocked;
  try {
    state = unlock(bytes, passphrase, undefined);
  } catch (error) {
    wipe(passphrase);
    throw withBackupHint(error, vaultFile);
  }
  warnAboutPermissions(vaultFile, options.warn);
  for (const warning of folderWarnings(vaultFile)) options.warn(warning);
  if (isBelowFloor(state.header.cost) && options.warnBelowFloor !== false) {
    const { memoryKiB, passes } = state.header.cost;
    options.warn(
      `this vault's key derivation (${memoryKiB} KiB, ${passes} pass${passes === 1 ? '' : 'es'}) is below the recommended floor: run \`lifeboat passwd\` to raise it`,
    );
  }

  const refreshBackup = (bytes: Uint8Array): void => {
    try {
      replaceFile(backupPath(vaultFile), bytes);
    } catch (error) {
      options.warn(`the change was saved, but the backup copy could not be refreshed: ${(error as Error).message}`);
    }
  };

  /** Reads the file again under the lock, decrypting it again only if it changed since we last saw it. */
  const reread = (): void => {
    const current = readFileOrNull(vaultFile);
    if (!current) throw missing(vaultFile);
    if (!equalBytes(current, state.bytes)) state = unlock(current, passphrase, state);
  };

  /**
   * The save of 6.1 under the lock: `step` turns the state read from disk into new file bytes and the state
   * they hold. Just before the rename the file must still be the one read; if another program replaced it,
   * the step is redone once on the new file (6.4). Then the backup is refreshed (6.2).
   */
  const commit = async <T>(step: (current: Unlocked) => { next: Unlocked; result: T }): Promise<T> => {
    const lock = await acquireLock(vaultFile, options.lockTimeoutMs);
    try {
      removeLeftovers(vaultFile);
      for (let attempt = 1; ; attempt += 1) {
        reread();
        const read = state;
        const { next, result } = step(read);
        try {
          replaceFile(vaultFile, next.bytes, () => {
            const now = readFileOrNull(vaultFile);
            if (!now || !equalBytes(now, read.bytes)) {
              throw new VaultError('changed-on-disk', 'the vault file was replaced by another program while lifeboat was saving');
            }
          });
        } catch (error) {
          if (!(error instanceof VaultError && error.kind === 'changed-on-disk')) throw error;
          if (attempt === 1) continue;
          throw new VaultError('changed-on-disk', `${error.message}, twice: nothing was written`, 'stop the program that keeps changing the vault file, then try again');
        }
        if (next.keys !== read.keys) wipeKeys(read.keys);
        state = next;
        refreshBackup(next.bytes);
        return result;
      }
    } catch (error) {
      throw withBackupHint(error, vaultFile);
    } finally {
      lock.release();
    }
  };

  const vault: OpenVault = {
    path: vaultFile,
    get content() {
      return state.content;
    },
    get cost() {
      return state.header.cost;
    },
    update<T>(change: (content: VaultContent) => UpdateResult<T>): Promise<T> {
      return commit((read) => {
        const { content, result } = change(read.content);
        const bytes = encryptWithKeys(content, read.header.cost, read.header.salt, read.keys);
        return { next: { ...read, bytes, content, header: parseHeader(bytes) }, result };
      });
    },
    async rekey(newPassphrase: Uint8Array, cost: KdfCost): Promise<void> {
      const salt = newSalt();
      const keys = deriveForHeader(newPassphrase, { salt, cost });
      try {
        await commit((read) => {
          const bytes = encryptWithKeys(read.content, cost, salt, keys);
          return { next: { header: parseHeader(bytes), keys, bytes, content: read.content }, result: undefined };
        });
      } catch (error) {
        if (state.keys !== keys) wipeKeys(keys);
        throw error;
      }
    },
    close(): void {
      wipeKeys(state.keys);
      wipe(passphrase);
    },
  };
  return vault;
}

/**
 * Creates a new vault with the given content; refuses to overwrite anything. The folder is created
 * 0700 if needed; an existing folder that others can read is warned about, never chmod-ed.
 */
export async function createVault(
  vaultFile: string,
  passphrase: Uint8Array,
  cost: KdfCost,
  content: VaultContent,
  options: Pick<VaultOptions, 'warn'>,
): Promise<void> {
  await loadCrypto();
  if (fs.existsSync(vaultFile)) {
    throw new VaultError('exists', `a vault already exists at ${vaultFile}`, 'nothing was changed; use --vault PATH to create another one');
  }
  // The backup of an earlier vault at this path may be the only copy of its codes: never replace it.
  if (fs.existsSync(backupPath(vaultFile))) {
    throw new VaultError(
      'exists',
      `the backup of an earlier vault is at ${backupPath(vaultFile)}`,
      'run `lifeboat restore-backup` to bring that vault back, or move the backup away to start afresh',
    );
  }
  const folder = path.dirname(vaultFile);
  const { created, mode } = ensureFolder(folder);
  if (!created && mode & 0o077) {
    options.warn(`the folder ${folder} can be read by other users (mode ${mode.toString(8)}); the vault file itself is private (600)`);
  }
  const salt = newSalt();
  const keys = deriveForHeader(passphrase, { salt, cost });
  try {
    const bytes = encryptWithKeys(content, cost, salt, keys);
    createFile(vaultFile, bytes);
    try {
      replaceFile(backupPath(vaultFile), bytes);
    } catch (error) {
      options.warn(`the vault was created, but its backup copy could not be written: ${(error as Error).message}`);
    }
  } finally {
    wipeKeys(keys);
  }
}

/**
 * Writes content as a new vault file of its own (an encrypted export), with its own passphrase and salt.
 * The file must not exist unless `overwrite`; it is created 0600 and never through a symlink.
 */
export async function writeVaultCopy(
  file: string,
  passphrase: Uint8Array,
  cost: KdfCost,
  content: VaultContent,
  overwrite: boolean,
): Promise<void> {
  await loadCrypto();
  const salt = newSalt();
  const keys = deriveForHeader(passphrase, { salt, cost });
  try {
    const bytes = encryptWithKeys(content, cost, salt, keys);
    if (overwrite) replaceFile(file, bytes);
    else createFile(file, bytes);
  } finally {
    wipeKeys(keys);
  }
}

/**
 * Decrypts a vault file that is not the user's vault (an encrypted export). `allowedCost` is the most the caller agreed
 * to derive at (by default {@link DEFAULT_COST}): a file that asks for more is refused with `kdf-limit` before any
 * derivation, so a file swapped after the caller looked at its header cannot raise the cost behind its back.
 */
export async function readVaultCopy(file: string, passphrase: Uint8Array, allowedCost: KdfCost = DEFAULT_COST): Promise<VaultContent> {
  await loadCrypto();
  const bytes = readFileOrNull(file);
  if (!bytes) throw new VaultError('missing', `no file at ${file}`);
  const { cost } = parseHeader(bytes);
  if (cost.passes > allowedCost.passes || cost.memoryKiB > allowedCost.memoryKiB) {
    throw new VaultError(
      'kdf-limit',
      `${file} asks for a key-derivation cost (${cost.memoryKiB} KiB, ${cost.passes} passes) above the ${allowedCost.memoryKiB} KiB and ${allowedCost.passes} passes agreed to`,
      'the file changed while lifeboat was reading it; try again',
    );
  }
  const state = unlock(bytes, passphrase, undefined);
  wipeKeys(state.keys);
  return state.content;
}

/**
 * Brings back the backup copy over a damaged vault, after checking that the backup opens with the
 * passphrase. Returns the restored content.
 */
export async function restoreBackup(location: string, passphrase: Uint8Array, options: VaultOptions): Promise<VaultContent> {
  await loadCrypto();
  const vaultFile = realFile(location);
  const backup = backupPath(vaultFile);
  const bytes = readFileOrNull(backup);
  if (!bytes) throw new VaultError('missing', `no backup at ${backup}`, 'nothing was changed');
  const state = unlock(bytes, passphrase, undefined);
  wipeKeys(state.keys);
  const lock = await acquireLock(vaultFile, options.lockTimeoutMs);
  try {
    removeLeftovers(vaultFile);
    replaceFile(vaultFile, bytes);
  } finally {
    lock.release();
  }
  return state.content;
}

/** Checks a requested cost for a new vault or passphrase against the floor and the cap (3.1). */
export function checkNewCost(cost: KdfCost, allowBelowFloor: boolean): void {
  if (cost.passes > CAP_COST.passes || cost.memoryKiB > CAP_COST.memoryKiB) {
    throw new VaultError('bad-cost', `a key-derivation cost above ${CAP_COST.memoryKiB / 1024} MiB or ${CAP_COST.passes} passes is refused`, 'lower --kdf-memory or --kdf-passes');
  }
  if (!allowBelowFloor && (cost.passes < FLOOR_COST.passes || cost.memoryKiB < FLOOR_COST.memoryKiB)) {
    throw new VaultError('bad-cost', `a key-derivation cost below ${FLOOR_COST.memoryKiB / 1024} MiB or ${FLOOR_COST.passes} passes is refused`, 'raise --kdf-memory or --kdf-passes');
  }
}
