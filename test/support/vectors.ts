import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VaultContent } from '../../src/domain/index.js';
import type { KdfCost } from '../../src/vault/format.js';

/**
 * The frozen test vectors of test/vectors (see test/vectors/generate.ts for their shape, and never
 * regenerate them): each `NAME.lifeboat` with its `NAME.json`.
 */

/** What opening a vector must do: open, or fail with this VaultError kind. */
export type Expectation = 'ok' | 'wrong-passphrase' | 'damaged' | 'not-a-vault' | 'unsupported-version' | 'kdf-limit';

/** One frozen vault file and what must happen when it is opened. */
export interface Vector {
  readonly name: string;
  /** Absolute path of the `.lifeboat` file. */
  readonly file: string;
  readonly bytes: Uint8Array;
  /** The passphrase as a user would type it; see `passphraseBytes`. */
  readonly passphrase: string;
  readonly expect: Expectation;
  /** For "ok": the content the decoder must return. */
  readonly content?: VaultContent;
  /** For "ok": the cost in the header. */
  readonly cost?: KdfCost;
  readonly note: string;
}

/** The folder of the vectors. */
export const VECTORS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

const EXPECTATIONS: readonly Expectation[] = ['ok', 'wrong-passphrase', 'damaged', 'not-a-vault', 'unsupported-version', 'kdf-limit'];

/** Every vector, sorted by name. Throws on a malformed `.json` so a broken vector cannot pass silently. */
export function loadVectors(): Vector[] {
  return fs
    .readdirSync(VECTORS_FOLDER)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((jsonName) => {
      const name = jsonName.slice(0, -'.json'.length);
      const meta = JSON.parse(fs.readFileSync(path.join(VECTORS_FOLDER, jsonName), 'utf8')) as Partial<Vector>;
      if (typeof meta.passphrase !== 'string' || !EXPECTATIONS.includes(meta.expect as Expectation) || typeof meta.note !== 'string') {
        throw new Error(`test/vectors/${jsonName}: needs "passphrase", "expect" (${EXPECTATIONS.join(', ')}) and "note"`);
      }
      if (meta.expect === 'ok' && (meta.content === undefined || meta.cost === undefined)) {
        throw new Error(`test/vectors/${jsonName}: an "ok" vector needs "content" and "cost"`);
      }
      const file = path.join(VECTORS_FOLDER, `${name}.lifeboat`);
      return {
        name,
        file,
        bytes: new Uint8Array(fs.readFileSync(file)),
        passphrase: meta.passphrase,
        expect: meta.expect as Expectation,
        content: meta.content,
        cost: meta.cost,
        note: meta.note,
      };
    });
}

/** What lifeboat does to a typed passphrase before key derivation (docs/vault-format.md 3.2): NFC, then UTF-8. */
export function passphraseBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.normalize('NFC'), 'utf8'));
}

// ---------------------------------------------------------------------------------------------------------
// Byte surgery on vault files, for the reject tests. The checksum is recomputed with node:crypto, not with
// the code under test.
// ---------------------------------------------------------------------------------------------------------

/** A copy of a vault file with its checksum (bytes 92–123 = SHA-256 of bytes 0–91, docs/vault-format.md 2.2) recomputed. */
export function withChecksum(file: Uint8Array): Uint8Array {
  const out = new Uint8Array(file); // a copy, even of a Buffer (whose slice() shares memory)
  out.set(createHash('sha256').update(out.subarray(0, 92)).digest(), 92);
  return out;
}

/** A copy of `file` with one bit flipped. */
export function flipBit(file: Uint8Array, offset: number, bit: number): Uint8Array {
  const out = new Uint8Array(file); // a copy, even of a Buffer (whose slice() shares memory)
  out[offset] = (out[offset] ?? 0) ^ (1 << bit);
  return out;
}

/** A copy of `file` with a big-endian unsigned integer of `size` bytes written at `offset`. */
export function withUint(file: Uint8Array, offset: number, size: 1 | 2 | 4, value: number): Uint8Array {
  const out = new Uint8Array(file); // a copy, even of a Buffer (whose slice() shares memory)
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (size === 1) view.setUint8(offset, value);
  else if (size === 2) view.setUint16(offset, value);
  else view.setUint32(offset, value);
  return out;
}

/**
 * The "damaged" vectors that break only a consistency rule (docs/vault-format.md 5.3): a strict reader
 * (the decoder, docs/decrypt.py) refuses them; lifeboat opens them repaired, with a warning (5.4).
 */
export const REPAIRABLE: ReadonlySet<string> = new Set(['damaged-duplicate-name', 'damaged-v2-spent-at-disagrees', 'damaged-name-format-character']);
