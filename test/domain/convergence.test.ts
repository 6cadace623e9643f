// The convergence property of merging copies (issue 8): a fast sample here, 10,000 histories in
// test/proof/convergence.slow.test.ts (`npm run proof`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchIds, checkContent, history, mergeCopies, normalForm, run, spendsOf } from './convergence.js';

/** The properties every history must meet; shared with the full run. */
export function checkHistory(h: Parameters<typeof run>[0]): void {
  const { before, after } = run(h);
  // Convergence: every replica holds the same content once all have met.
  const first = JSON.stringify(normalForm(after[0]!));
  for (const content of after) expect(JSON.stringify(normalForm(content))).toBe(first);
  const merged = after[0]!;
  expect(checkContent(merged)).toEqual([]);
  // Commutative and idempotent, pairwise, on the states before the final exchange.
  for (const a of before) {
    for (const b of before) {
      expect(JSON.stringify(normalForm(mergeCopies(a, b).content))).toBe(JSON.stringify(normalForm(mergeCopies(b, a).content)));
    }
    expect(JSON.stringify(normalForm(mergeCopies(a, a).content))).toBe(JSON.stringify(normalForm(mergeCopies(a, { accounts: [], tombstones: [] }).content)));
    expect(mergeCopies(merged, a).report.changed).toBe(false);
  }
  // Nothing lost: every spend any replica saw is in the result, unless a removal took its batch;
  // a spend stands in the result exactly when no replica had undone it.
  const { live, removed } = batchIds(merged);
  const result = spendsOf(merged);
  const undone = new Set<string>();
  for (const content of before) for (const [key, standing] of spendsOf(content)) if (!standing) undone.add(key);
  for (const content of before) {
    for (const [key] of spendsOf(content)) {
      const batch = key.split(' ')[0]!;
      if (removed.has(batch) && !live.has(batch)) continue;
      expect(result.has(key)).toBe(true);
      expect(result.get(key)).toBe(!undone.has(key));
    }
    // Every batch any replica held is in the result, or a removal that saw it took it.
    for (const account of content.accounts) for (const batch of account.batches) expect(live.has(batch.id) || removed.has(batch.id)).toBe(true);
  }
}

describe('merging copies converges (a sample; the full run is in npm run proof)', () => {
  it('replicas that meet in random orders end with the same content, losing no spend and no batch', () => {
    fc.assert(fc.property(history, (h) => checkHistory(h)), { numRuns: 200, seed: Number(process.env['LIFEBOAT_PROPERTY_SEED'] ?? 20261202) });
  });
});
