// Proof (issue 5, "Format and crypto"): known-answer tests of our AEAD wrapper against Wycheproof's
// XChaCha20-Poly1305 vectors, and of Argon2id (the call deriveKeys makes) against libsodium's published vectors.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys, loadCrypto, open, seal } from '../../src/vault/crypto.js';
import { figures } from './support.js';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const report = figures();

interface AeadTest {
  tcId: number;
  comment: string;
  flags: string[];
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface Wycheproof {
  algorithm: string;
  numberOfTests: number;
  testGroups: { tests: AeadTest[] }[];
}
interface RawVector {
  name: string;
  passwd: string;
  passwdLen: number;
  salt: string;
  outlen: number;
  opslimit: number;
  memlimit: number;
  expected: string | null;
  skip?: string;
}
interface EncodedVector {
  name: string;
  passwd: string;
  hash: string;
  valid: boolean;
}

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

beforeAll(async () => {
  await loadCrypto();
  await sodium.ready;
});

describe('XChaCha20-Poly1305: Wycheproof vectors through seal/open (src/vault/crypto.ts)', () => {
  it('every vector of the full published file passes: valid ones seal to ct||tag and open to msg, invalid ones never open', () => {
    const file = JSON.parse(fs.readFileSync(path.join(DATA, 'xchacha20_poly1305_test.json'), 'utf8')) as Wycheproof;
    expect(file.algorithm).toBe('XCHACHA20-POLY1305');
    const tests = file.testGroups.flatMap((group) => group.tests);
    expect(tests).toHaveLength(file.numberOfTests);
    const failed: number[] = [];
    let valid = 0;
    for (const test of tests) {
      const key = hex(test.key);
      const nonce = hex(test.iv);
      const aad = hex(test.aad);
      const sealedExpected = test.ct + test.tag;
      const opened = open(key, nonce, hex(sealedExpected), aad);
      let sealed: string | null;
      try {
        sealed = toHex(seal(key, nonce, hex(test.msg), aad));
      } catch {
        sealed = null; // libsodium refuses a nonce or key of the wrong size
      }
      const ok =
        test.result === 'valid'
          ? opened !== null && toHex(opened) === test.msg && sealed === sealedExpected
          : opened === null && sealed !== sealedExpected;
      if (test.result === 'valid') valid += 1;
      if (!ok) failed.push(test.tcId);
    }
    const flags = [...new Set(tests.flatMap((t) => t.flags))].sort().join(', ');
    report.push(
      `Wycheproof XChaCha20-Poly1305 ${tests.length - failed.length}/${tests.length} pass (${valid} valid, ${tests.length - valid} invalid; the full published file, verbatim: ${flags})`,
    );
    expect(failed).toEqual([]);
  });
});

describe('Argon2id: libsodium test vectors (test/default/pwhash_argon2id.c, .exp)', () => {
  const data = JSON.parse(fs.readFileSync(path.join(DATA, 'argon2id_libsodium.json'), 'utf8')) as {
    raw: RawVector[];
    encoded: EncodedVector[];
  };

  it('every counted vector gives the published output (or the published refusal)', () => {
    const failed: string[] = [];
    const counted = data.raw.filter((vector) => vector.skip === undefined);
    for (const vector of counted) {
      const passwd = hex(vector.passwd).subarray(0, vector.passwdLen);
      const salt = hex(vector.salt).subarray(0, sodium.crypto_pwhash_SALTBYTES);
      let out: string | null;
      try {
        out = toHex(sodium.crypto_pwhash(vector.outlen, passwd, salt, vector.opslimit, vector.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13));
      } catch {
        out = null;
      }
      if (out !== vector.expected) failed.push(vector.name);
    }
    let encodedPass = 0;
    for (const vector of data.encoded) {
      let verified: boolean;
      try {
        verified = sodium.crypto_pwhash_str_verify(vector.hash, vector.passwd);
      } catch {
        verified = false;
      }
      if (verified === vector.valid) encodedPass += 1;
      else failed.push(vector.name);
    }
    const total = counted.length + data.encoded.length;
    report.push(
      `Argon2id libsodium vectors ${total - failed.length}/${total} pass (${counted.length} raw outputs incl. 1 refusal, ${data.encoded.length} encoded hashes; ${data.raw.length - counted.length} skipped, see data file)`,
    );
    expect(failed).toEqual([]);
  });

  it('deriveKeys is exactly crypto_pwhash(64, …, Argon2id13) split into encryption and check keys, at the vectors’ costs', () => {
    for (const vector of data.raw.filter((v) => v.expected !== null)) {
      const passwd = hex(vector.passwd).subarray(0, vector.passwdLen);
      const salt = hex(vector.salt).subarray(0, 16);
      const memoryKiB = Math.floor(vector.memlimit / 1024);
      const keys = deriveKeys(passwd, salt, vector.opslimit, memoryKiB);
      const whole = sodium.crypto_pwhash(64, passwd, salt, vector.opslimit, memoryKiB * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13);
      expect(toHex(keys.encryption)).toBe(toHex(whole.subarray(0, 32)));
      expect(toHex(keys.check)).toBe(toHex(whole.subarray(32)));
    }
  });
});
