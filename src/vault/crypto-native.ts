import nodeCrypto from 'node:crypto';

/**
 * The primitives of docs/vault-format.md (sections 2.2, 3.3 and 4) other than Argon2id, computed without libsodium.
 * Every vault is encrypted and decrypted with them: OpenSSL's ChaCha20-Poly1305 runs natively, where libsodium's
 * WebAssembly made a large vault slow to open and save (bench/README.md, "Several devices"). A vault opened with keys
 * an unlock session kept takes its key check (BLAKE2b) from here too, and never compiles libsodium at all
 * (bench/README.md, "Unlock session"). Each primitive gives the same bytes as libsodium's, which
 * test/vault/crypto-native.test.ts checks against libsodium on random inputs and against the drafts' vectors; every
 * secret buffer made here is wiped before it is dropped (test/proof/wipe.test.ts).
 *
 * - SHA-256, random bytes and constant-time comparison come from `node:crypto` (OpenSSL).
 * - XChaCha20-Poly1305 (IETF) is HChaCha20 for a subkey, then OpenSSL's ChaCha20-Poly1305 (RFC 8439) with the
 *   nonce's last 8 bytes behind 4 zero bytes, as draft-irtf-cfrg-xchacha-03, section 2.3, defines it and libsodium's
 *   `crypto_aead_xchacha20poly1305_ietf` implements it. HChaCha20 (section 2.2 of that draft) is read off one
 *   ChaCha20 block: OpenSSL's `chacha20` takes a 16-byte IV (block counter, then nonce) that fills state words 12
 *   to 15 exactly as HChaCha20's 16-byte nonce does, and a block is the permuted state plus the input state, so
 *   subtracting the known input state leaves the permuted words HChaCha20 outputs (0 to 3 and 12 to 15).
 * - BLAKE2b with a key (the key check) follows RFC 7693: Node's `blake2b512` takes neither a key nor a length.
 */

/** RFC 7693, 2.6: the initialization vector (SHA-512's). */
const IV = BigUint64Array.from([
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
]);

/** RFC 7693, 2.7: the message schedule of each round (rounds 10 and 11 reuse the first two). */
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
] as const;

const BLOCK_BYTES = 128;
const ALL_ONES = 0xffffffffffffffffn;

/** A 64-bit right rotation; the typed array the result is stored in keeps the low 64 bits. */
function rotr(x: bigint, n: bigint): bigint {
  return (x >> n) | (x << (64n - n));
}

/** RFC 7693, 3.2: the compression function F over one 128-byte block, `t` bytes in so far. */
function compress(h: BigUint64Array, block: Uint8Array, t: bigint, last: boolean): void {
  const v = new BigUint64Array(16);
  v.set(h, 0);
  v.set(IV, 8);
  v[12] = v[12]! ^ t;
  v[13] = v[13]! ^ (t >> 64n);
  if (last) v[14] = v[14]! ^ ALL_ONES;
  const view = new DataView(block.buffer, block.byteOffset, BLOCK_BYTES);
  const m = new BigUint64Array(16);
  for (let i = 0; i < 16; i += 1) m[i] = view.getBigUint64(i * 8, true);
  const g = (a: number, b: number, c: number, d: number, x: bigint, y: bigint): void => {
    v[a] = v[a]! + v[b]! + x;
    v[d] = rotr(v[d]! ^ v[a]!, 32n);
    v[c] = v[c]! + v[d]!;
    v[b] = rotr(v[b]! ^ v[c]!, 24n);
    v[a] = v[a]! + v[b]! + y;
    v[d] = rotr(v[d]! ^ v[a]!, 16n);
    v[c] = v[c]! + v[d]!;
    v[b] = rotr(v[b]! ^ v[c]!, 63n);
  };
  for (let round = 0; round < 12; round += 1) {
    const s = SIGMA[round % 10]!;
    const w = (i: number): bigint => m[s[i]!]!;
    g(0, 4, 8, 12, w(0), w(1));
    g(1, 5, 9, 13, w(2), w(3));
    g(2, 6, 10, 14, w(4), w(5));
    g(3, 7, 11, 15, w(6), w(7));
    g(0, 5, 10, 15, w(8), w(9));
    g(1, 6, 11, 12, w(10), w(11));
    g(2, 7, 8, 13, w(12), w(13));
    g(3, 4, 9, 14, w(14), w(15));
  }
  for (let i = 0; i < 8; i += 1) h[i] = h[i]! ^ v[i]! ^ v[i + 8]!;
  v.fill(0n);
  m.fill(0n);
}

/** RFC 7693, 3.3: BLAKE2b of `message` with an optional key (at most 64 bytes), `length` bytes out (1 to 64). */
export function blake2b(length: number, message: Uint8Array, key: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (length < 1 || length > 64 || key.length > 64) throw new RangeError('blake2b: bad output or key length');
  const h = new BigUint64Array(IV);
  h[0] = h[0]! ^ BigInt(0x01010000 ^ (key.length << 8) ^ length);
  // The key, zero-padded to a whole block, comes first; then the message.
  const keyBlock = key.length > 0 ? BLOCK_BYTES : 0;
  const data = new Uint8Array(keyBlock + message.length);
  data.set(key, 0);
  data.set(message, keyBlock);
  const blocks = Math.max(1, Math.ceil(data.length / BLOCK_BYTES));
  const block = new Uint8Array(BLOCK_BYTES);
  for (let i = 0; i < blocks; i += 1) {
    const last = i === blocks - 1;
    const chunk = data.subarray(i * BLOCK_BYTES, (i + 1) * BLOCK_BYTES);
    block.fill(0);
    block.set(chunk);
    compress(h, block, BigInt(i * BLOCK_BYTES + chunk.length), last);
  }
  const out = new Uint8Array(64);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i += 1) view.setBigUint64(i * 8, h[i]!, true);
  data.fill(0);
  block.fill(0);
  h.fill(0n);
  const result = out.slice(0, length);
  out.fill(0);
  return result;
}

/** "expand 32-byte k": ChaCha20's first four state words (RFC 8439, 2.3). */
const SIGMA_WORDS = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;

/** draft-irtf-cfrg-xchacha-03, 2.2: HChaCha20 of a 32-byte key and a 16-byte nonce, a 32-byte subkey. */
export function hchacha20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  const cipher = nodeCrypto.createCipheriv('chacha20', key, nonce16);
  // The block is kept as OpenSSL returned it, so that wiping it below wipes the only copy.
  const block = cipher.update(new Uint8Array(64));
  cipher.final();
  const words = new DataView(block.buffer, block.byteOffset, 64);
  const nonceWords = new DataView(nonce16.buffer, nonce16.byteOffset, 16);
  const subkey = new Uint8Array(32);
  const out = new DataView(subkey.buffer);
  for (let i = 0; i < 4; i += 1) {
    out.setUint32(i * 4, (words.getUint32(i * 4, true) - SIGMA_WORDS[i]!) >>> 0, true);
    out.setUint32(16 + i * 4, (words.getUint32(48 + i * 4, true) - nonceWords.getUint32(i * 4, true)) >>> 0, true);
  }
  block.fill(0);
  return subkey;
}

/** The subkey and the 12-byte ChaCha20-Poly1305 nonce XChaCha20-Poly1305 uses for a 24-byte nonce (draft, 2.3). */
function xchachaParts(key: Uint8Array, nonce: Uint8Array): { subkey: Uint8Array; iv: Uint8Array } {
  const iv = new Uint8Array(12);
  iv.set(nonce.subarray(16, 24), 4);
  return { subkey: hchacha20(key, nonce.subarray(0, 16)), iv };
}

/** XChaCha20-Poly1305 (IETF) encryption; returns ciphertext followed by the 16-byte tag. */
export function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
  const { subkey, iv } = xchachaParts(key, nonce);
  try {
    const cipher = nodeCrypto.createCipheriv('chacha20-poly1305', subkey, iv, { authTagLength: 16 });
    cipher.setAAD(associatedData, { plaintextLength: plaintext.length });
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return new Uint8Array(body.buffer, body.byteOffset, body.length);
  } finally {
    subkey.fill(0);
  }
}

/** XChaCha20-Poly1305 (IETF) decryption; null when the tag does not verify. */
export function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null {
  if (ciphertext.length < 16) return null;
  const { subkey, iv } = xchachaParts(key, nonce);
  try {
    const decipher = nodeCrypto.createDecipheriv('chacha20-poly1305', subkey, iv, { authTagLength: 16 });
    decipher.setAAD(associatedData, { plaintextLength: ciphertext.length - 16 });
    decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
    const body = decipher.update(ciphertext.subarray(0, ciphertext.length - 16));
    try {
      // ChaCha20-Poly1305 is a stream cipher: final() only checks the tag and adds no bytes.
      if (decipher.final().length !== 0) throw new Error('ChaCha20-Poly1305 returned bytes at final()');
    } catch (error) {
      body.fill(0);
      throw error;
    }
    // The plaintext is returned as OpenSSL wrote it, not copied: the caller's wipe reaches the only copy.
    return new Uint8Array(body.buffer, body.byteOffset, body.length);
  } catch {
    return null;
  } finally {
    subkey.fill(0);
  }
}

/** SHA-256 of a message. */
export function sha256(message: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.createHash('sha256').update(message).digest());
}

/** Cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeCrypto.randomBytes(length));
}

/** Constant-time comparison of two byte strings (false for different lengths). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeCrypto.timingSafeEqual(a, b);
}
