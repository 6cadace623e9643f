// Proof (issue 5, "Concurrency"), full runs: 8 processes × 50 `use` on one account of 400 codes; the same
// code spent by two processes at once, 200 trials; 8 contenders on a stale lock, 50 rounds.
import { describe, expect, it } from 'vitest';
import { doubleSpends, manyUsers, staleLockRounds } from './concurrency.js';
import { figures } from './support.js';

const report = figures();

describe('8 processes × 50 `use` on one account of 400 codes', () => {
  it('400 distinct codes handed out, 400 spent, 0 lost updates, 0 lock time-outs at the default wait', async () => {
    const r = await manyUsers(8, 50);
    report.push(
      `concurrent use 8 × 50: ${r.distinct}/${r.total} distinct codes handed out, ${r.spent}/${r.total} spent, ${r.lostUpdates} lost updates, ${r.lockTimeouts} lock time-outs (default wait 10 s), ${r.failures.length} failures, ${r.seconds.toFixed(1)} s`,
    );
    expect(r.failures).toEqual([]);
    expect(r.distinct).toBe(400);
    expect(r.spent).toBe(400);
    expect(r.lostUpdates).toBe(0);
    expect(r.lockTimeouts).toBe(0);
  });
});

describe('the same code spent by two processes at once, 200 trials', () => {
  it('exactly one succeeds each time, the other exits 1 "already spent"', async () => {
    const r = await doubleSpends(200);
    report.push(`double spend: exactly one success in ${r.exactlyOne}/${r.trials} trials`);
    expect(r.bad).toEqual([]);
    expect(r.exactlyOne).toBe(200);
  });
});

describe('8 contenders on one stale lock, 50 rounds', () => {
  it('taken over safely: all acquire in turn, never two at once', async () => {
    const r = await staleLockRounds(50, 8);
    report.push(`stale lock: ${r.rounds} rounds × ${r.contenders} contenders, ${r.acquired}/${r.rounds * r.contenders} acquired in turn, ${r.overlaps} overlapping holds`);
    expect(r.errors).toEqual([]);
    expect(r.overlaps).toBe(0);
  });
});
