// The full convergence run of issue 8: 10,000 random histories of three or four replicas (the sample in
// `npm test` is test/domain/convergence.test.ts). Prints the figure docs/reliability.md quotes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, history } from '../domain/convergence.js';

describe('merging copies converges: the full run', () => {
  it('10,000 histories: every replica ends with the same content, no spend and no batch lost', () => {
    let histories = 0;
    const started = Date.now();
    fc.assert(
      fc.property(history, (h) => {
        histories += 1;
        checkHistory(h);
      }),
      { numRuns: 10_000, seed: Number(process.env['LIFEBOAT_PROPERTY_SEED'] ?? 8) },
    );
    expect(histories).toBe(10_000);
    process.stdout.write(`convergence: ${histories}/${histories} histories converged, 0 spends or batches lost (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  });
});
