// Proof (issue 5, "Format and crypto"), full run: about 200 sampled single-bit flips through the real
// binary. Each: exit 3, the region's message (docs/vault-format.md 2.3), no stack trace, nothing written.
import { describe, expect, it } from 'vitest';
import { binaryFlips } from './tamper.js';
import { figures } from './support.js';

const report = figures();

describe('200 sampled bit flips through the real binary', () => {
  it('exit 3, the region’s message, no stack trace, the file byte-identical', async () => {
    const result = await binaryFlips(200, 2);
    report.push(
      `binary bit flips ${result.exit3}/${result.runs} exit 3, ${result.rightMessage}/${result.runs} region's message, ${result.stackTraces} stack traces, ${result.unchanged}/${result.runs} byte-identical`,
    );
    expect(result.failures).toEqual([]);
  });
});
