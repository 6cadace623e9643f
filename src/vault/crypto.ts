/**
 * The only module that talks to libsodium. Every primitive here is named in docs/vault-format.md,
 * section 3 "Keys" and section 4 "Encryption", and nowhere else.
 *
 * libsodium is loaded on first use (`loadCrypto`), not at import, so that commands which never touch the
 * vault (`--version`, `--help`, a usage error) start without compiling its WebAssembly. A command that opens the
 * vault with an unlock session's keys derives nothing, and calls `loadCryptoWithoutKdf` instead: the same
 * primitives, bit for bit, then come from node:crypto (crypto-native.ts), until a key derivation loads libsodium.
 */

type Sodium = typeof import('libsodium-wrappers-sumo').default;
type Native = typeof import('./crypto-native.js');

let loaded: Sodium | undefined;
let native: Native | undefined;

/** The loaded library; calling a primitive before `loadCrypto` is a programming error. */
function lib(): Sodium {
  if (!loaded) throw new Error('libsodium used before loadCrypto()');
  return loaded;
}

/** The node:crypto primitives (crypto-native.ts) when libsodium is not loaded; undefined means use libsodium. */
function nativeInstead(): Native | undefined {
  if (loaded) return undefined;
  if (native) return native;
  throw new Error('crypto used before loadCrypto()');
}

/** Argon2id version 1.3, the only key-derivation function of format version 1. */
const ALG_ARGON2ID13 = 2;

/** Length of each derived key, in bytes. */
export const KEY_BYTES = 32;
/** Length of the Argon2id salt, in bytes. */
export const SALT_BYTES = 16;
/** Length of the XChaCha20-Poly1305 nonce, in bytes. */
export const NONCE_BYTES = 24;
/** Length of the Poly1305 tag appended to the ciphertext, in bytes. */
export const TAG_BYTES = 16;
/** Length of the key check and of the header checksum, in bytes. */
export const CHECK_BYTES = 32;

/** Loads libsodium's WebAssembly module. Must be awaited before any other function here (or the one below). */
export async function loadCrypto(): Promise<void> {
  if (loaded) return;
  const { default: sodium } = await import('libsodium-wrappers-sumo');
  await sodium.ready;
  loaded = sodium;
}

/**
 * Makes every primitive but Argon2id ready without compiling libsodium, for a vault opened with an unlock session's
 * keys: they come from node:crypto (crypto-native.ts) until something calls `loadCrypto` for a key derivation.
 */
export async function loadCryptoWithoutKdf(): Promise<void> {
  if (loaded) return;
  native ??= await import('./crypto-native.js');
}

/** The two keys derived from a passphrase (docs/vault-format.md, 3.2). */
export interface DerivedKeys {
  /** Encrypts the content. */
  readonly encryption: Uint8Array;
  /** Proves the passphrase against the header (the key check). */
  readonly check: Uint8Array;
}

/**
 * Derives the encryption and check keys: Argon2id over the passphrase bytes, 64 bytes of output split
 * in two. The caller keeps the cost within the limits of docs/vault-format.md, 3.1.
 */
export function deriveKeys(passphrase: Uint8Array, salt: Uint8Array, passes: number, memoryKiB: number): DerivedKeys {
  const output = lib().crypto_pwhash(2 * KEY_BYTES, passphrase, salt, passes, memoryKiB * 1024, ALG_ARGON2ID13);
  const keys = { encryption: output.slice(0, KEY_BYTES), check: output.slice(KEY_BYTES) };
  lib().memzero(output);
  return keys;
}

/** BLAKE2b-256 of a message keyed with the check key: the key check of the header (3.3). */
export function keyCheck(checkKey: Uint8Array, header: Uint8Array): Uint8Array {
  const n = nativeInstead();
  return n ? n.blake2b(CHECK_BYTES, header, checkKey) : lib().crypto_generichash(CHECK_BYTES, header, checkKey);
}

/** SHA-256 of a message: the plain checksum that tells a damaged header from a wrong passphrase (2.2). */
export function sha256(message: Uint8Array): Uint8Array {
  const n = nativeInstead();
  return n ? n.sha256(message) : lib().crypto_hash_sha256(message);
}

/** XChaCha20-Poly1305 (IETF) encryption with associated data; returns ciphertext followed by the tag. */
export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
  const n = nativeInstead();
  if (n) return n.seal(key, nonce, plaintext, associatedData);
  return lib().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associatedData, null, nonce, key);
}

/** XChaCha20-Poly1305 (IETF) decryption; returns null when the tag does not verify. */
export function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null {
  const n = nativeInstead();
  if (n) return n.open(key, nonce, ciphertext, associatedData);
  try {
    return lib().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, associatedData, nonce, key);
  } catch {
    return null;
  }
}

/** Cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array {
  const n = nativeInstead();
  return n ? n.randomBytes(length) : lib().randombytes_buf(length);
}

/** Constant-time comparison of two byte strings of equal length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = nativeInstead();
  if (n) return n.equalBytes(a, b);
  return a.length === b.length && lib().memcmp(a, b);
}

/** Overwrites a buffer we own with zeros (passphrase bytes, derived keys, decrypted plaintext). */
export function wipe(...buffers: readonly (Uint8Array | undefined)[]): void {
  const n = nativeInstead();
  for (const buffer of buffers) if (buffer) (n ? buffer.fill(0) : lib().memzero(buffer));
}

/** Wipes both derived keys. */
export function wipeKeys(keys: DerivedKeys | undefined): void {
  if (keys) wipe(keys.encryption, keys.check);
}
