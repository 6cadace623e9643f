import fs from 'node:fs';
import path from 'node:path';
import { checkContent, mergeClocks, tick, type VaultContent } from '../domain/index.js';
import {
  createFile,
  ensureFolder,
  readFileOrNull,
  removeLeftoverTemps,
  replaceFile,
  sameBytes,
  syncFolder,
} from './atomic-file.js';
import {
  findConflictCopies,
  type ConflictCopy,
  type ConflictOutcome,
  type LeftCopy,
  type MergedCopy,
  type ReadCopy,
} from './conflict-copies.js';
import { equalBytes, loadCrypto, loadCryptoWithoutKdf, wipe, wipeKeys, type DerivedKeys } from './crypto.js';
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
import { mergeCopies } from '../domain/index.js';

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
  /** Receives what a save did with the conflict copies beside the vault, when there were any. */
  readonly onConflictCopies?: (outcome: ConflictOutcome) => void;
  /** How long to wait for another process's lock, in milliseconds. */
  readonly lockTimeoutMs: number;
  /** Receives warnings for the user (a weak cost, a readable file, a failed backup). */
  readonly warn: (message: string) => void;
  /** Whether to warn when the vault's key-derivation cost is below the floor (default true). */
  readonly warnBelowFloor?: boolean;
  /** This device's id, asked for only when a change is saved: each save counts in its clock entry. */
  readonly device: () => string;
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
  /** Re-encrypts the vault under its own passphrase with a fresh salt and a new cost (a merge keeps the stronger). */
  raiseCost(cost: KdfCost): Promise<void>;
  /** The conflict copies beside the vault right now. */
  conflictCopies(): readonly ConflictCopy[];
  /**
   * Reads another copy of this vault, trying this vault's passphrase first and then `otherPassphrase`.
   * Throws the VaultError of the last try (`wrong-passphrase` when neither opens it).
   */
  readCopy(file: string, otherPassphrase?: Uint8Array): Promise<ReadCopy>;
  /**
   * Merges every conflict copy that opens (with this vault's passphrase or `otherPassphrase`) in one save,
   * then removes those copies. Saves nothing when no copy opens.
   */
  mergeConflictCopies(otherPassphrase?: Uint8Array): Promise<ConflictOutcome>;
  /** What `mergeConflictCopies` would do, without writing or removing anything. */
  previewConflictCopies(otherPassphrase?: Uint8Array): ConflictOutcome;
  /** The content as the next save will see it: the file merged with every conflict copy that opens. Writes nothing. */
  contentWithConflictCopies(): VaultContent;
  /** Copies of the keys the vault is open with, and their salt and cost, for an unlock session. */
  sessionKeys(): SessionKeys;
  /** Wipes the derived keys. */
  close(): void;
}

interface Unlocked {
  header: Header;
  keys: DerivedKeys;
  bytes: Uint8Array;
  content: VaultContent;
}

/** Gives the keys a header asks for: derived from the passphrase, or handed over by an unlock session. */
type KeysFor = (header: Header) => DerivedKeys;

/** Decrypts bytes, reusing keys when the header asks for the same salt and cost. */
function unlock(bytes: Uint8Array, keysFor: KeysFor, previous: Unlocked | undefined, warn: (message: string) => void = () => {}): Unlocked {
  const header = parseHeader(bytes);
  const sameKey =
    previous !== undefined &&
    equalBytes(previous.header.salt, header.salt) &&
    previous.header.cost.passes === header.cost.passes &&
    previous.header.cost.memoryKiB === header.cost.memoryKiB;
  const keys = sameKey ? previous.keys : keysFor(header);
  try {
    let decoded: { content: VaultContent; repairs: readonly string[] };
    try {
      decoded = decryptWithKeys(bytes, header, keys);
    } catch (error) {
      // 5.4: a vault that breaks only a consistency rule opens repaired; the next save writes the repair.
      if (!(error instanceof VaultError && error.repairable)) throw error;
      decoded = decryptWithKeys(bytes, header, keys, true);
      for (const repair of decoded.repairs) warn(`the vault broke a consistency rule and was repaired in memory: ${repair}; the next change saves the repair`);
    }
    if (!sameKey && previous) wipeKeys(previous.keys);
    return { header, keys, bytes, content: decoded.content };
  } catch (error) {
    if (!sameKey) wipeKeys(keys);
    throw error;
  }
}

/**
 * 5.3: a content that breaks a consistency rule is never written, whatever produced it: that would be a
 * bug, so it is refused and nothing is saved. `sound` is the content the save read from the file, which was
 * checked when it was decoded: the accounts a change left as they were are not checked again one by one.
 */
function sealable(content: VaultContent, sound: VaultContent): VaultContent {
  const problems = checkContent(content, sound);
  if (problems[0] !== undefined) throw new VaultError('invalid-content', `refused to save a vault that breaks a rule of its format (${problems[0]}): this is a bug, please report it`);
  return content;
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

/**
 * Decrypts another copy of a vault: with the open vault's keys when the copy has the same salt and cost
 * (a copy of the same generation line), otherwise by deriving a key for each passphrase in turn.
 * Keys derived here are wiped before returning.
 */
function decryptCopy(bytes: Uint8Array, keySources: readonly KeysFor[], current: Unlocked): ReadCopy {
  const header = parseHeader(bytes);
  const sameKey =
    equalBytes(current.header.salt, header.salt) &&
    current.header.cost.passes === header.cost.passes &&
    current.header.cost.memoryKiB === header.cost.memoryKiB;
  let last: unknown = new VaultError('wrong-passphrase', 'wrong passphrase');
  for (const keysFor of keySources) {
    try {
      // With the same salt and cost, `unlock` reuses the open vault's keys and leaves them alone.
      const opened = unlock(bytes, keysFor, sameKey ? current : undefined);
      if (opened.keys !== current.keys) wipeKeys(opened.keys);
      return { content: opened.content, cost: opened.header.cost };
    } catch (error) {
      last = error;
      if (!(error instanceof VaultError && error.kind === 'wrong-passphrase')) throw error;
    }
  }
  throw last;
}

/** The bytes of each merged copy as they were read, so that a copy changed since is never removed. */
interface CopyMerge {
  readonly content: VaultContent;
  readonly outcome: ConflictOutcome;
  readonly read: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}

/** Reads and merges every conflict copy beside `vaultFile` that opens into `content`. Writes nothing. */
function mergeCopiesBeside(vaultFile: string, content: VaultContent, keySources: readonly KeysFor[], current: Unlocked): CopyMerge {
  const merged: MergedCopy[] = [];
  const left: LeftCopy[] = [];
  const read: { path: string; bytes: Uint8Array }[] = [];
  let result = content;
  for (const copy of findConflictCopies(vaultFile)) {
    let bytes: Uint8Array | null;
    let theirs: ReadCopy;
    try {
      bytes = readFileOrNull(copy.path);
      if (!bytes) continue;
      theirs = decryptCopy(bytes, keySources, current);
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      left.push({ ...copy, error });
      continue;
    }
    const step = mergeCopies(result, theirs.content);
    result = step.content;
    merged.push({ ...copy, report: step.report });
    read.push({ path: copy.path, bytes });
  }
  return { content: result, outcome: { merged, left }, read };
}

/**
 * Removes the merged copies once the merged vault is durable. A copy whose bytes changed since it was read
 * (the sync tool wrote it again) is kept: it will be merged by the next save.
 */
function removeMergedCopies(vaultFile: string, read: CopyMerge['read'], warn: (message: string) => void): void {
  if (read.length === 0) return;
  for (const copy of read) {
    try {
      const now = readFileOrNull(copy.path);
      if (now && sameBytes(now, copy.bytes)) fs.unlinkSync(copy.path);
    } catch (error) {
      warn(`the conflict copy ${copy.path} was merged but could not be removed: ${(error as Error).message}`);
    }
  }
  try {
    syncFolder(path.dirname(vaultFile));
  } catch {
    // The removals are not needed for safety: a copy that comes back is merged again, to the same result.
  }
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
  // Our own copy, kept only to derive again if another process changes the key parameters meanwhile.
  const passphrase = suppliedPassphrase.slice();
  const keysFor: KeysFor = (header) => deriveForHeader(passphrase, header);
  return openWith(location, { keysFor, copyKeys: keysFor, passphrase }, () => wipe(passphrase), options);
}

/**
 * The keys of an unlock session (README, "Unlock session"): the two derived keys and the salt and cost they
 * were derived for. Never the passphrase.
 */
export interface SessionKeys {
  readonly salt: Uint8Array;
  readonly cost: KdfCost;
  readonly encryption: Uint8Array;
  readonly check: Uint8Array;
}

/**
 * Opens an existing vault with keys an unlock session kept, without the passphrase and without Argon2id.
 * Resolves to null when the keys do not fit the file (its passphrase or cost changed since the unlock: the
 * salt and cost differ, or the key check fails), so that the caller asks for the passphrase instead.
 * A passphrase change by another program while this one holds the vault is reported as `changed-on-disk`.
 */
export async function openVaultWithKeys(location: string, session: SessionKeys, options: VaultOptions): Promise<OpenVault | null> {
  // No key to derive: the primitives come from node:crypto, and libsodium's WebAssembly is not compiled.
  await loadCryptoWithoutKdf();
  let opened = false;
  const keysFor: KeysFor = (header) => {
    if (!sameKeyParameters(header, session)) {
      throw opened
        ? new VaultError('changed-on-disk', "the vault's passphrase was changed by another program meanwhile", 'run the command again')
        : new StaleSessionKeys();
    }
    return { encryption: session.encryption.slice(), check: session.check.slice() };
  };
  // A conflict copy saved under the same passphrase opens with the session's keys; one that needs another
  // key is left for a command run with the passphrase.
  const copyKeys: KeysFor = (header) => {
    if (!sameKeyParameters(header, session)) throw new VaultError('wrong-passphrase', "the unlock session's key does not open this copy");
    return { encryption: session.encryption.slice(), check: session.check.slice() };
  };
  try {
    const vault = await openWith(location, { keysFor, copyKeys, passphrase: undefined }, () => undefined, options);
    opened = true;
    return vault;
  } catch (error) {
    if (error instanceof StaleSessionKeys || (error instanceof VaultError && error.kind === 'wrong-passphrase')) return null;
    throw error;
  }
}

/** Whether two headers ask for the same key: the same salt and the same cost. */
function sameKeyParameters(a: Pick<Header, 'salt' | 'cost'>, b: Pick<Header, 'salt' | 'cost'>): boolean {
  return equalBytes(a.salt, b.salt) && a.cost.passes === b.cost.passes && a.cost.memoryKiB === b.cost.memoryKiB;
}

/** The session's keys were derived for another salt or cost than the file's. */
class StaleSessionKeys extends Error {
  override readonly name = 'StaleSessionKeys';
}

/** Where an opened vault's keys come from. */
interface KeySource {
  /** The keys of the vault's own header. */
  readonly keysFor: KeysFor;
  /** The keys to try on a conflict copy or another copy of the vault, before any other passphrase. */
  readonly copyKeys: KeysFor;
  /** The passphrase, when the vault was opened with one (not with an unlock session's keys). */
  readonly passphrase: Uint8Array | undefined;
}

/** Reads a vault and unlocks it with the keys `source` gives; `forget` wipes what it holds, at close. */
async function openWith(location: string, source: KeySource, forget: () => void, options: VaultOptions): Promise<OpenVault> {
  const { keysFor, copyKeys, passphrase } = source;
  const copySources = (otherPassphrase: Uint8Array | undefined): KeysFor[] =>
    otherPassphrase ? [copyKeys, (header) => deriveForHeader(otherPassphrase, header)] : [copyKeys];
  const vaultFile = realFile(location);
  const bytes = readFileOrNull(vaultFile);
  if (!bytes) {
    forget();
    throw missing(vaultFile);
  }
  let state: Unlocked;
  try {
    state = unlock(bytes, keysFor, undefined, options.warn);
  } catch (error) {
    forget();
    if (error instanceof StaleSessionKeys) throw error;
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
    if (!sameBytes(current, state.bytes)) state = unlock(current, keysFor, state, options.warn);
  };

  /**
   * The save of 6.1 under the lock: `step` turns the state read from disk into new file bytes and the state
   * they hold. Just before the rename the file must still be the one read; if another program replaced it,
   * the step is redone once on the new file (6.4). Then the backup is refreshed (6.2).
   */
  const commit = async <T>(
    step: (current: Unlocked, copies: CopyMerge, sound: VaultContent) => { next: Unlocked; result: T },
    copyOptions: { readonly otherPassphrase?: Uint8Array; readonly announce?: boolean } = {},
  ): Promise<T> => {
    const { otherPassphrase, announce = true } = copyOptions;
    const lock = await acquireLock(vaultFile, options.lockTimeoutMs);
    try {
      removeLeftovers(vaultFile);
      for (let attempt = 1; ; attempt += 1) {
        reread();
        const read = state;
        // Conflict copies beside the vault are merged into what is saved, in this same locked save.
        const copies = mergeCopiesBeside(vaultFile, read.content, copySources(otherPassphrase), read);
        const { next, result } = step({ ...read, content: copies.content }, copies, read.content);
        try {
          replaceFile(vaultFile, next.bytes, () => {
            const now = readFileOrNull(vaultFile);
            if (!now || !sameBytes(now, read.bytes)) {
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
        // Only now that the merged vault is durable may the copies it holds go.
        removeMergedCopies(vaultFile, copies.read, options.warn);
        refreshBackup(next.bytes);
        if (announce && copies.outcome.merged.length + copies.outcome.left.length > 0) options.onConflictCopies?.(copies.outcome);
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
      return commit((read, _copies, sound) => {
        const changed = change(read.content);
        // The clock only moves forward, whatever the change returned (section 10 of the spec).
        const content = sealable(
          changed.content === read.content
            ? changed.content
            : tick({ ...changed.content, clock: mergeClocks(read.content.clock, changed.content.clock) }, options.device()),
          sound,
        );
        const { result } = changed;
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
    raiseCost(cost: KdfCost): Promise<void> {
      if (!passphrase) {
        throw new VaultError('bad-cost', 'the key-derivation cost cannot be raised with an unlock session\'s key', 'run `lifeboat lock`, then the command again with the passphrase');
      }
      return vault.rekey(passphrase, cost);
    },
    conflictCopies(): readonly ConflictCopy[] {
      return findConflictCopies(vaultFile);
    },
    async readCopy(file: string, otherPassphrase?: Uint8Array): Promise<ReadCopy> {
      const bytes = readFileOrNull(file);
      if (!bytes) throw new VaultError('missing', `no file at ${file}`);
      return decryptCopy(bytes, copySources(otherPassphrase), state);
    },
    async mergeConflictCopies(otherPassphrase?: Uint8Array): Promise<ConflictOutcome> {
      // Nothing opens: nothing to save. Otherwise the save below reads and merges the copies again, under the lock.
      const first = vault.previewConflictCopies(otherPassphrase);
      if (first.merged.length === 0) return first;
      return commit(
        (read, copies, sound) => {
          // Like every change: counted in this device's clock, and checked before it is written.
          const content = sealable(tick(read.content, options.device()), sound);
          const bytes = encryptWithKeys(content, read.header.cost, read.header.salt, read.keys);
          return { next: { ...read, bytes, content, header: parseHeader(bytes) }, result: copies.outcome };
        },
        { otherPassphrase, announce: false },
      );
    },
    previewConflictCopies(otherPassphrase?: Uint8Array): ConflictOutcome {
      reread();
      return mergeCopiesBeside(vaultFile, state.content, copySources(otherPassphrase), state).outcome;
    },
    contentWithConflictCopies(): VaultContent {
      reread();
      return mergeCopiesBeside(vaultFile, state.content, copySources(undefined), state).content;
    },
    sessionKeys(): SessionKeys {
      return { salt: state.header.salt.slice(), cost: state.header.cost, encryption: state.keys.encryption.slice(), check: state.keys.check.slice() };
    },
    close(): void {
      wipeKeys(state.keys);
      forget();
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
  const state = unlock(bytes, (header) => deriveForHeader(passphrase, header), undefined);
  wipeKeys(state.keys);
  return state.content;
}

/**
 * Reads a vault file that is not opened as the user's vault (the sides of a git merge), trying each
 * passphrase in turn; throws the VaultError of the last try.
 */
export async function readVaultWith(file: string, passphrases: readonly Uint8Array[]): Promise<ReadCopy> {
  await loadCrypto();
  const bytes = readFileOrNull(file);
  if (!bytes) throw new VaultError('missing', `no file at ${file}`);
  let last: unknown = new VaultError('wrong-passphrase', 'wrong passphrase');
  for (const passphrase of passphrases) {
    try {
      const opened = unlock(bytes, (header) => deriveForHeader(passphrase, header), undefined);
      wipeKeys(opened.keys);
      return { content: opened.content, cost: opened.header.cost };
    } catch (error) {
      last = error;
      if (!(error instanceof VaultError && error.kind === 'wrong-passphrase')) throw error;
    }
  }
  throw last;
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
  const state = unlock(bytes, (header) => deriveForHeader(passphrase, header), undefined);
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
