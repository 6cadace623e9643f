// Proof (issue 5, "Format and crypto"), full run: docs/decrypt.py and `lifeboat export --plaintext
// --format json` on every checked-in test vault in test/vectors: the same bytes, the same exit status.
import { describe, expect, it } from 'vitest';
import { compareDecoders, decoderReady, describeComparison } from './decoder.js';
import { figures } from './support.js';

const report = figures();

describe.skipIf(!decoderReady())('docs/decrypt.py against lifeboat export, every test vault', () => {
  it('the same bytes on stdout and the same exit status for every vector', async () => {
    const c = await compareDecoders(() => true);
    report.push(describeComparison(c, ''));
    expect(c.mismatches).toEqual([]);
  });
});
