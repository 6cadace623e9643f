import type { VaultContent } from '../domain/index.js';
import { decodeContent, encodeContent } from './content.js';
import {
  CHECK_BYTES,
  NONCE_BYTES,
  SALT_BYTES,
  TAG_BYTES,
  deriveKeys,
  equalBytes,
  keyCheck,
  open,
  randomBytes,
  seal,
  sha256,
  wipe,
  type DerivedKeys,
} from './crypto.js';
import { VaultError } from './errors.js';

/**
 * Encoding and decoding of a vault file, clause by clause as docs/vault-format.md specifies it.
 * Section numbers in comments (like "2.1") refer to that document.
 */

/** 2.1: the eight bytes every vault starts with. */
export const MAGIC = new Uint8Array([0x4c, 0x49, 0x46, 0x45, 0x42, 0x4f, 0x41, 0x54]); // "LIFEBOAT"
/** 2.1: whether bytes start like a vault file (any version): an encrypted export, say. */
export function looksLikeVault(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((byte, i) => bytes[i] === byte);
}

/** 2.1: the only format version this code reads and writes. */
export const FORMAT_VERSION = 1;
/** 2.1: the key-derivation function id of Argon2id version 1.3. */
export const KDF_ARGON2ID = 1;

/** 2.1: byte offsets of the header fields. */
const OFFSET = { version: 8, kdf: 10, passes: 11, memory: 15, parallelism: 19, salt: 20, nonce: 36 } as const;
/** 2.1: the header (the associated data) is bytes 0 to 59. */
export const HEADER_BYTES = 60;
/** 2.2: the key check follows the header; the checksum follows the key check. */
const CHECK_OFFSET = HEADER_BYTES;
const CHECKSUM_OFFSET = HEADER_BYTES + CHECK_BYTES;
/** 2.2: where the ciphertext starts. */
export const CIPHERTEXT_OFFSET = CHECKSUM_OFFSET + CHECK_BYTES;
/** 2.3: the smallest file that can be a vault (an empty ciphertext still carries its tag). */
export const MINIMUM_FILE_BYTES = CIPHERTEXT_OFFSET + TAG_BYTES;

/** 3.1: the cost of Argon2id, as stored in the header. */
export interface KdfCost {
  readonly passes: number;
  readonly memoryKiB: number;
}

/** 3.1: the cost used for new vaults: RFC 9106's second recommendation (64 MiB, 3 passes). */
export const DEFAULT_COST: KdfCost = { passes: 3, memoryKiB: 64 * 1024 };
/** 3.1: OWASP's floor (19 MiB, 2 passes). New vaults below it are refused; opening one warns. */
export const FLOOR_COST: KdfCost = { passes: 2, memoryKiB: 19 * 1024 };
/** 3.1: the cap on both creating and reading (1 GiB, 20 passes), so a hostile file cannot exhaust memory. */
export const CAP_COST: KdfCost = { passes: 20, memoryKiB: 1024 * 1024 };
/** 3.1: libsodium's own minimum (1 pass, 8 KiB); the test-only hook creates vaults at this cost. */
export const MINIMUM_COST: KdfCost = { passes: 1, memoryKiB: 8 };

/** The parsed, checksum-verified header of a vault file. */
export interface Header {
  readonly bytes: Uint8Array;
  readonly cost: KdfCost;
  readonly salt: Uint8Array;
  readonly nonce: Uint8Array;
}

/** Whether a cost is below OWASP's floor (such a vault opens, with a warning). */
export function isBelowFloor(cost: KdfCost): boolean {
  return cost.passes < FLOOR_COST.passes || cost.memoryKiB < FLOOR_COST.memoryKiB;
}

/**
 * Whether a cost asks for more memory or more passes than new vaults get ({@link DEFAULT_COST}). A file that is not the
 * vault itself (an export someone sent) must not make lifeboat derive at such a cost without asking: up to the cap
 * that is 1 GiB and many seconds (issue 11, finding 8).
 */
export function isAboveDefault(cost: KdfCost): boolean {
  return cost.passes > DEFAULT_COST.passes || cost.memoryKiB > DEFAULT_COST.memoryKiB;
}

/** Whether a cost is within what this code will ever compute (3.1). */
export function isWithinCap(cost: KdfCost): boolean {
  return (
    cost.passes >= MINIMUM_COST.passes &&
    cost.passes <= CAP_COST.passes &&
    cost.memoryKiB >= MINIMUM_COST.memoryKiB &&
    cost.memoryKiB <= CAP_COST.memoryKiB
  );
}

function damaged(): VaultError {
  return new VaultError('damaged', 'the vault is damaged or was tampered with');
}

/**
 * Reads and verifies the header, before any key derivation (2.3, steps 1 to 5): magic, version, length,
 * checksum, then the key-derivation parameters against the cap.
 */
export function parseHeader(file: Uint8Array): Header {
  if (file.length < MAGIC.length || !MAGIC.every((byte, i) => file[i] === byte)) {
    throw new VaultError('not-a-vault', 'this file is not a lifeboat vault');
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.length < OFFSET.version + 2) throw damaged();
  const version = view.getUint16(OFFSET.version);
  if (version !== FORMAT_VERSION) {
    throw new VaultError(
      'unsupported-version',
      `this vault has format version ${version}, which this lifeboat cannot read`,
      'a newer lifeboat may read it: see docs/vault-format.md to decrypt it by hand',
    );
  }
  if (file.length < MINIMUM_FILE_BYTES) throw damaged();
  const headerAndCheck = file.subarray(0, CHECKSUM_OFFSET);
  if (!equalBytes(sha256(headerAndCheck), file.subarray(CHECKSUM_OFFSET, CIPHERTEXT_OFFSET))) throw damaged();
  const cost = { passes: view.getUint32(OFFSET.passes), memoryKiB: view.getUint32(OFFSET.memory) };
  if (file[OFFSET.kdf] !== KDF_ARGON2ID || file[OFFSET.parallelism] !== 1) throw damaged();
  if (!isWithinCap(cost)) {
    throw new VaultError(
      'kdf-limit',
      `the vault asks for a key-derivation cost (${cost.memoryKiB} KiB, ${cost.passes} passes) outside the limits this lifeboat computes`,
      'the file was not made by lifeboat, or was tampered with',
    );
  }
  return {
    bytes: file.slice(0, HEADER_BYTES),
    cost,
    salt: file.slice(OFFSET.salt, OFFSET.salt + SALT_BYTES),
    nonce: file.slice(OFFSET.nonce, OFFSET.nonce + NONCE_BYTES),
  };
}

/** Builds a header with a fresh nonce (2.1). Each save calls this: a nonce is never reused. */
export function buildHeader(cost: KdfCost, salt: Uint8Array): Header {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint16(OFFSET.version, FORMAT_VERSION);
  bytes[OFFSET.kdf] = KDF_ARGON2ID;
  view.setUint32(OFFSET.passes, cost.passes);
  view.setUint32(OFFSET.memory, cost.memoryKiB);
  bytes[OFFSET.parallelism] = 1;
  bytes.set(salt, OFFSET.salt);
  const nonce = randomBytes(NONCE_BYTES);
  bytes.set(nonce, OFFSET.nonce);
  return { bytes, cost, salt: salt.slice(), nonce };
}

/** A fresh salt for a new vault or a new passphrase. */
export function newSalt(): Uint8Array {
  return randomBytes(SALT_BYTES);
}

/** Derives the keys a header asks for (3.2). */
export function deriveForHeader(passphrase: Uint8Array, header: Pick<Header, 'cost' | 'salt'>): DerivedKeys {
  return deriveKeys(passphrase, header.salt, header.cost.passes, header.cost.memoryKiB);
}

/** 2.3 step 6: the message of a key check that fails. */
export const WRONG_PASSPHRASE = "wrong passphrase, or the file's header was changed";

/**
 * Decrypts a file whose header was parsed, with keys derived for that header (2.3, steps 6 to 8):
 * the key check tells a wrong passphrase, the tag any other change, then the content is validated.
 */
export function decryptWithKeys(file: Uint8Array, header: Header, keys: DerivedKeys, repair = false): { content: VaultContent; repairs: readonly string[] } {
  const storedCheck = file.subarray(CHECK_OFFSET, CHECKSUM_OFFSET);
  if (!equalBytes(keyCheck(keys.check, header.bytes), storedCheck)) {
    // The key check covers the header, so a header rewritten with its checksum recomputed fails here too,
    // and no reader can tell that from a wrong passphrase: the message says both (2.3, issue 11, finding 9).
    throw new VaultError('wrong-passphrase', WRONG_PASSPHRASE, 'check the passphrase; if it is surely right, the file was changed after it was written');
  }
  const plaintext = open(keys.encryption, header.nonce, file.subarray(CIPHERTEXT_OFFSET), header.bytes);
  if (!plaintext) throw damaged();
  try {
    return decodeContent(plaintext, repair);
  } finally {
    wipe(plaintext);
  }
}

/** Encrypts content into a complete vault file under a fresh header (2.1 to 2.2, 4). */
export function encryptWithKeys(content: VaultContent, cost: KdfCost, salt: Uint8Array, keys: DerivedKeys): Uint8Array {
  const header = buildHeader(cost, salt);
  const plaintext = encodeContent(content);
  const ciphertext = seal(keys.encryption, header.nonce, plaintext, header.bytes);
  wipe(plaintext);
  const file = new Uint8Array(CIPHERTEXT_OFFSET + ciphertext.length);
  file.set(header.bytes, 0);
  file.set(keyCheck(keys.check, header.bytes), CHECK_OFFSET);
  file.set(sha256(file.subarray(0, CHECKSUM_OFFSET)), CHECKSUM_OFFSET);
  file.set(ciphertext, CIPHERTEXT_OFFSET);
  return file;
}

/** Decodes a whole vault file with a passphrase: parse, derive, decrypt. */
export function decryptVault(file: Uint8Array, passphrase: Uint8Array): { content: VaultContent; header: Header } {
  const header = parseHeader(file);
  const keys = deriveForHeader(passphrase, header);
  try {
    return { content: decryptWithKeys(file, header, keys).content, header };
  } finally {
    wipe(keys.encryption, keys.check);
  }
}

/** Encodes a whole vault file with a passphrase, a fresh salt and the given cost. */
export function encryptVault(content: VaultContent, passphrase: Uint8Array, cost: KdfCost): Uint8Array {
  const salt = newSalt();
  const keys = deriveKeys(passphrase, salt, cost.passes, cost.memoryKiB);
  try {
    return encryptWithKeys(content, cost, salt, keys);
  } finally {
    wipe(keys.encryption, keys.check);
  }
}
