// The convergence property of merging copies (issue 8): a fast sample here, 10,000 histories in
// test/proof/convergence.slow.test.ts (`npm run proof`).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkHistory, history } from './convergence.js';

describe('merging copies converges (a sample; the full run is in npm run proof)', () => {
  it('replicas that meet in random orders end with the same content, losing no spend and no batch', () => {
    fc.assert(fc.property(history, (h) => checkHistory(h)), { numRuns: 1000, seed: Number(process.env['LIFEBOAT_PROPERTY_SEED'] ?? 20261202) });
  });
});
