// The node:crypto primitives an unlock session's commands use instead of libsodium (issue 9: "keep start-up lazy")
// give the very bytes libsodium gives, on random inputs, and the published vectors of their specifications.
import sodium from 'libsodium-wrappers-sumo';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2b, equalBytes, hchacha20, open, randomBytes, seal, sha256 } from '../../src/vault/crypto-native.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

beforeAll(async () => {
  await sodium.ready;
});

describe('BLAKE2b (RFC 7693)', () => {
  it('gives the vector of RFC 7693, appendix A: BLAKE2b-512 of "abc"', () => {
    expect(hex(blake2b(64, new TextEncoder().encode('abc')))).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    );
  });

  it('agrees with libsodium keyed and unkeyed, across block boundaries', () => {
    fc.assert(
      fc.property(bytes(0, 400), fc.oneof(bytes(0, 0), bytes(16, 64)), fc.integer({ min: 16, max: 64 }), (message, key, length) => {
        const expected = sodium.crypto_generichash(length, message, key.length === 0 ? null : key);
        expect(hex(blake2b(length, message, key))).toBe(hex(expected));
      }),
      { numRuns: 300 },
    );
  });
});

describe('XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03)', () => {
  it('HChaCha20 gives the vector of the draft, section 2.2.1', () => {
    const key = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'));
    const nonce = Uint8Array.from(Buffer.from('000000090000004a0000000031415927', 'hex'));
    expect(hex(hchacha20(key, nonce))).toBe('82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc');
  });

  it('HChaCha20 agrees with libsodium', () => {
    fc.assert(
      fc.property(bytes(32, 32), bytes(16, 16), (key, nonce) => {
        expect(hex(hchacha20(key, nonce))).toBe(hex(sodium.crypto_core_hchacha20(nonce, key, null)));
      }),
      { numRuns: 200 },
    );
  });

  it('seals exactly as libsodium does, and each opens what the other sealed', () => {
    fc.assert(
      fc.property(bytes(32, 32), bytes(24, 24), bytes(0, 700), bytes(0, 80), (key, nonce, message, ad) => {
        const ours = seal(key, nonce, message, ad);
        const theirs = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(message, ad, null, nonce, key);
        expect(hex(ours)).toBe(hex(theirs));
        expect(hex(open(key, nonce, theirs, ad) ?? new Uint8Array([1]))).toBe(hex(message));
        expect(hex(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ours, ad, nonce, key))).toBe(hex(message));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a changed ciphertext, tag, associated data, nonce or key', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(24);
    const ad = randomBytes(60);
    const sealed = seal(key, nonce, new TextEncoder().encode('1234 5678'), ad);
    for (let i = 0; i < sealed.length; i += 1) {
      const changed = sealed.slice();
      changed[i] = changed[i]! ^ 1;
      expect(open(key, nonce, changed, ad)).toBeNull();
    }
    const flip = (b: Uint8Array): Uint8Array => Uint8Array.from(b, (x, i) => (i === 0 ? x ^ 1 : x));
    expect(open(key, nonce, sealed, flip(ad))).toBeNull();
    expect(open(key, flip(nonce), sealed, ad)).toBeNull();
    expect(open(flip(key), nonce, sealed, ad)).toBeNull();
    expect(open(key, nonce, sealed.subarray(0, 15), ad)).toBeNull();
  });
});

describe('SHA-256 and comparison', () => {
  it('agree with libsodium', () => {
    fc.assert(
      fc.property(bytes(0, 300), bytes(0, 40), (message, other) => {
        expect(hex(sha256(message))).toBe(hex(sodium.crypto_hash_sha256(message)));
        expect(equalBytes(message, message.slice())).toBe(true);
        expect(equalBytes(message, other)).toBe(hex(message) === hex(other));
      }),
      { numRuns: 200 },
    );
  });
});
