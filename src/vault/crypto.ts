/**
 * The only module that talks to libsodium. Every primitive here is named in docs/vault-format.md,
 * section 3 "Keys" and section 4 "Encryption", and nowhere else.
 *
 * libsodium computes Argon2id, and the key check's BLAKE2b once it is loaded. Everything else (SHA-256,
 * XChaCha20-Poly1305, random bytes, comparisons) comes from node:crypto through crypto-native.ts, bit for bit the
 * same as libsodium's (test/vault/crypto-native.test.ts): OpenSSL's ChaCha20-Poly1305 runs natively, while the
 * first calls into libsodium's WebAssembly run in its baseline tier, which made opening and saving a vault of
 * 10,000 accounts take a quarter of a second longer (bench/README.md, "Several devices").
 *
 * libsodium is loaded on first use (`loadCrypto`), not at import, so that commands which never touch the
 * vault (`--version`, `--help`, a usage error) start without compiling its WebAssembly. A command that opens the
 * vault with an unlock session's keys derives nothing, and calls `loadCryptoWithoutKdf` instead: it never compiles
 * libsodium, and the key check comes from crypto-native.ts too.
 */

type Sodium = typeof import('libsodium-wrappers-sumo').default;
type Native = typeof import('./crypto-native.js');

let loaded: Sodium | undefined;
let native: Native | undefined;

/** The loaded library; calling Argon2id before `loadCrypto` is a programming error. */
function lib(): Sodium {
  if (!loaded) throw new Error('libsodium used before loadCrypto()');
  return loaded;
}

/** The node:crypto primitives (crypto-native.ts); calling one before either load function is a programming error. */
function nativeCrypto(): Native {
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

/** Loads libsodium's WebAssembly module and the node:crypto primitives. Must be awaited before any other function here (or the one below). */
export async function loadCrypto(): Promise<void> {
  native ??= await import('./crypto-native.js');
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
  return loaded ? loaded.crypto_generichash(CHECK_BYTES, header, checkKey) : nativeCrypto().blake2b(CHECK_BYTES, header, checkKey);
}

/** SHA-256 of a message: the plain checksum that tells a damaged header from a wrong passphrase (2.2). */
export function sha256(message: Uint8Array): Uint8Array {
  return nativeCrypto().sha256(message);
}

/** XChaCha20-Poly1305 (IETF) encryption with associated data; returns ciphertext followed by the tag. */
export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
  return nativeCrypto().seal(key, nonce, plaintext, associatedData);
}

/** XChaCha20-Poly1305 (IETF) decryption; returns null when the tag does not verify. */
export function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null {
  return nativeCrypto().open(key, nonce, ciphertext, associatedData);
}

/** Cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array {
  return nativeCrypto().randomBytes(length);
}

/** Constant-time comparison of two byte strings (false for different lengths). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return nativeCrypto().equalBytes(a, b);
}

/** Overwrites a buffer we own with zeros (passphrase bytes, derived keys, decrypted plaintext). */
export function wipe(...buffers: readonly (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}

/** Wipes both derived keys. */
export function wipeKeys(keys: DerivedKeys | undefined): void {
  if (keys) wipe(keys.encryption, keys.check);
}
