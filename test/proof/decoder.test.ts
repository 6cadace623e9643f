// Proof (issue 5, "Format and crypto"): an independent decoder. docs/decrypt.py (PyNaCl) decrypts the
// checked-in test vaults and prints exactly what `lifeboat export --plaintext --format json` prints: the same
// bytes, the same exit status. The fast subset takes every vault that opens and one of each refusal;
// decoder.slow.test.ts takes every vector in test/vectors.
import { describe, expect, it } from 'vitest';
import { compareDecoders, decoderReady, describeComparison } from './decoder.js';
import { figures } from './support.js';

const report = figures();
const SAMPLE = new Set(['wrong-passphrase', 'damaged-tag-flip', 'not-a-vault-random', 'unsupported-version', 'kdf-limit-memory']);

describe.skipIf(!decoderReady())('docs/decrypt.py against lifeboat export (fast subset)', () => {
  it('the same bytes on stdout and the same exit status', async () => {
    const c = await compareDecoders((v) => v.expect === 'ok' || SAMPLE.has(v.name));
    report.push(describeComparison(c, ', fast subset'));
    expect(c.mismatches).toEqual([]);
  });
});
