import { beforeEach, describe, expect, it } from 'vitest';
import {
  activeBatch,
  addBatch,
  checkCode,
  codeKey,
  day,
  emptyVault,
  LEGACY_STAMP,
  markPrinted,
  removeAccount,
  renameAccount,
  spendCode,
  unspendCode,
  useNextCode,
  when,
  type Context,
  type VaultContent,
} from '../../src/domain/index.js';
import { account, batch, code, counterIds, DEVICE, domainError, expectNoCodeIn, incoming, pure, vaultOf } from './support.js';

const NOW = '2026-11-01T10:00:00.000Z';
const LATER = '2026-11-15T08:20:00.000Z';
const EARLIER = '2026-10-01T09:30:00.000Z';
const FIRST = '2026-06-01T00:00:00.000Z';

/** Two batches of the same service: A was issued first, B replaced it. C is a third, unrelated one. */
const A = ['7391 0465', '2846 1903', '5518 7720', '9034 6611', '1187 4452'];
const B = ['abcd-efgh', 'ijkl-mnop', 'qrst-uvwx', 'yzab-cdef', 'ghij-klmn'];
const C = ['Q1W2E3R4', 'T5Y6U7I8', 'O9P0A1S2'];
const ALL_CODES = [...A, ...B, ...C];

/** The stamps of content that has never been changed since stamps exist. */
const LEGACY_STAMPS = { name: LEGACY_STAMP, service: LEGACY_STAMP, username: LEGACY_STAMP, note: LEGACY_STAMP };

// The fixed clock; each test gets its own id counter.
let ctx: Context;
beforeEach(() => {
  ctx = { now: NOW, newId: counterIds(), device: DEVICE };
});

/** A vault where `instagram` has batch A (added at FIRST), by way of addBatch itself. */
function withA(usedAt: readonly number[] = []): VaultContent {
  return addBatch(emptyVault(), 'instagram', incoming(A, usedAt), { source: 'typed' }, { now: FIRST, newId: counterIds('setup'), device: DEVICE }).vault;
}

/** `instagram`: batch A superseded at EARLIER by batch B; `github:work` has batch C. */
function supersededVault(): VaultContent {
  return vaultOf(
    account('acc-1', 'instagram', [
      batch('bat-a', FIRST, [code(A[0]!, '2026-07-01T00:00:00.000Z'), ...A.slice(1)], { supersededAt: EARLIER }),
      batch('bat-b', EARLIER, [code(B[0]!, '2026-10-02T00:00:00.000Z'), ...B.slice(1)]),
    ]),
    account('acc-2', 'github:work', [batch('bat-c', EARLIER, C)]),
  );
}

describe('addBatch', () => {
  it('creates an account for a new name, with one active batch in display form', () => {
    const vault = emptyVault();
    const { vault: after, outcome } = pure(vault, (v) =>
      addBatch(v, 'instagram', incoming([' \uFF11\uFF12\uFF13\uFF14\u00A0\uFF15\uFF16\uFF17\uFF18 ', 'abcd\u2013efgh']), { source: 'stdin' }, ctx),
    );
    expect(outcome.kind).toBe('created-account');
    expect(after.accounts).toHaveLength(1);
    expect(after.tombstones).toEqual([]);
    const created = after.accounts[0]!;
    expect(created).toEqual({
      id: outcome.account.id,
      name: 'instagram',
      service: null,
      username: null,
      note: null,
      createdAt: NOW,
      stamps: { name: { n: 1, d: DEVICE }, service: { n: 1, d: DEVICE }, username: { n: 1, d: DEVICE }, note: { n: 1, d: DEVICE } },
      batches: [
        {
          id: outcome.batch.id,
          addedAt: NOW,
          seq: { n: 1, d: DEVICE },
          source: 'stdin',
          supersededAt: null,
          printedAt: null,
          copiedAt: null,
          codes: [
            { code: '1234 5678', spentAt: null },
            { code: 'abcd-efgh', spentAt: null },
          ],
        },
      ],
    });
    expect(outcome.account).toEqual(created);
    expect(outcome.batch).toEqual(created.batches[0]);
    expect(created.id).not.toBe(created.batches[0]!.id);
    expect(activeBatch(created)?.id).toBe(outcome.batch.id);
  });

  it('takes its ids from the context and nowhere else', () => {
    const { outcome } = addBatch(emptyVault(), 'instagram', incoming(A), { source: 'typed' }, { now: NOW, newId: counterIds('zz'), device: DEVICE });
    expect([outcome.account.id, outcome.batch.id].sort()).toEqual(['zz-0001', 'zz-0002']);
  });

  it('marks the codes the source marked as used, at now', () => {
    const { outcome } = addBatch(emptyVault(), 'instagram', incoming(A, [1, 3]), { source: 'file:codes.txt' }, ctx);
    expect(outcome.batch.codes.map((c) => c.spentAt)).toEqual([null, NOW, null, NOW, null]);
    expect(outcome.batch.source).toBe('file:codes.txt');
  });

  it('keeps the other accounts and the tombstones of the vault', () => {
    const vault: VaultContent = { ...supersededVault(), tombstones: [{ id: 'gone', removedAt: FIRST }] };
    const { vault: after } = pure(vault, (v) => addBatch(v, 'twitter', incoming(['1111 2222']), { source: 'typed' }, ctx));
    expect(after.accounts.map((a) => a.name)).toEqual(['instagram', 'github:work', 'twitter']);
    expect(after.accounts.slice(0, 2)).toEqual(supersededVault().accounts);
    expect(after.tombstones).toEqual([{ id: 'gone', removedAt: FIRST }]);
  });

  it('stores the name in NFC and refuses an invalid one', () => {
    const { outcome } = addBatch(emptyVault(), 'caf\u0065\u0301', incoming(A), { source: 'typed' }, ctx);
    expect(outcome.account.name).toBe('caf\u00E9');
    domainError('invalid-name', () => addBatch(emptyVault(), ' instagram', incoming(A), { source: 'typed' }, ctx));
    domainError('invalid-name', () => addBatch(emptyVault(), '', incoming(A), { source: 'typed' }, ctx));
  });

  it('adds to the existing account whatever the case of the name, keeping its name', () => {
    const vault = withA();
    const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'INSTAGRAM', incoming(B), { source: 'typed' }, ctx));
    expect(after.accounts).toHaveLength(1);
    expect(outcome.account.name).toBe('instagram');
    expect(outcome.account.id).toBe(vault.accounts[0]!.id);
  });

  it('does not treat a prefix as the account: a new name is a new account', () => {
    const vault = withA();
    const { vault: after, outcome } = addBatch(vault, 'insta', incoming(B), { source: 'typed' }, ctx);
    expect(outcome.kind).toBe('created-account');
    expect(after.accounts.map((a) => a.name)).toEqual(['instagram', 'insta']);
  });

  describe('a batch that shares no code with the active one supersedes it', () => {
    it('marks the old batch superseded at now and makes the new one active', () => {
      const vault = withA();
      const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'instagram', incoming(B), { source: 'typed' }, ctx));
      if (outcome.kind !== 'superseded') throw new Error(`expected superseded, got ${outcome.kind}`);
      const stored = after.accounts[0]!;
      expect(stored.batches).toHaveLength(2);
      const [old, fresh] = stored.batches;
      expect(old).toEqual({ ...vault.accounts[0]!.batches[0], supersededAt: NOW });
      expect(fresh?.codes.map((c) => c.code)).toEqual(B);
      expect(fresh?.supersededAt).toBeNull();
      expect(fresh?.addedAt).toBe(NOW);
      expect(activeBatch(stored)?.id).toBe(outcome.batch.id);
      expect(outcome.old).toEqual(old);
      expect(outcome.account).toEqual(stored);
    });

    it('reports how many of the old codes were never used', () => {
      expect(
        addBatch(withA(), 'instagram', incoming(B), { source: 'typed' }, ctx).outcome,
      ).toMatchObject({ kind: 'superseded', oldUnspent: 5 });
      expect(
        addBatch(withA([0, 2]), 'instagram', incoming(B), { source: 'typed' }, ctx).outcome,
      ).toMatchObject({ kind: 'superseded', oldUnspent: 3 });
      expect(
        addBatch(withA([0, 1, 2, 3, 4]), 'instagram', incoming(B), { source: 'typed' }, ctx).outcome,
      ).toMatchObject({ kind: 'superseded', oldUnspent: 0 });
    });

    it('leaves an already superseded batch as it was', () => {
      const vault = supersededVault();
      const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'instagram', incoming(['9999 8888', '7777 6666']), { source: 'typed' }, ctx));
      expect(outcome.kind).toBe('superseded');
      const [a, b, fresh] = after.accounts[0]!.batches;
      expect(a).toEqual(vault.accounts[0]!.batches[0]);
      expect(b?.supersededAt).toBe(NOW);
      expect(activeBatch(after.accounts[0]!)?.id).toBe(fresh?.id);
      expect(after.accounts[1]).toEqual(vault.accounts[1]);
    });
  });

  describe('a batch that shares a code with the active one is that batch seen again', () => {
    it('changes nothing when it is added again as it was', () => {
      const vault = withA([1]);
      const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'instagram', incoming(A), { source: 'stdin' }, ctx));
      expect(outcome).toMatchObject({ kind: 'merged', newlySpent: 0, superseded: false });
      expect(after).toEqual(vault);
      expect(outcome.batch.id).toBe(vault.accounts[0]!.batches[0]!.id);
    });

    it('matches codes however they are written, and keeps the stored display form', () => {
      const vault = withA();
      const rewritten = A.map((c) => c.replace(' ', '-')).reverse();
      const { vault: after, outcome } = addBatch(vault, 'instagram', incoming(rewritten), { source: 'typed' }, ctx);
      expect(outcome.kind).toBe('merged');
      expect(after).toEqual(vault);
    });

    it('marks the codes the copy shows as used, and counts them', () => {
      const vault = withA();
      const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'instagram', incoming(A, [0, 4]), { source: 'typed' }, { now: LATER, newId: counterIds(), device: DEVICE }));
      expect(outcome).toMatchObject({ kind: 'merged', newlySpent: 2, superseded: false });
      expect(after.accounts[0]!.batches).toHaveLength(1);
      expect(after.accounts[0]!.batches[0]!.codes.map((c) => c.spentAt)).toEqual([LATER, null, null, null, LATER]);
      expect(after.accounts[0]!.batches[0]!.supersededAt).toBeNull();
    });

    it('moves spent marks only forward: a copy showing a spent code as unused changes nothing', () => {
      const vault = withA([2]);
      const { vault: after, outcome } = addBatch(vault, 'instagram', incoming(A), { source: 'typed' }, { now: LATER, newId: counterIds(), device: DEVICE });
      expect(outcome).toMatchObject({ kind: 'merged', newlySpent: 0 });
      expect(after.accounts[0]!.batches[0]!.codes[2]!.spentAt).toBe(FIRST);
    });

    it('keeps the first spent time of a code both copies show as used, and does not count it', () => {
      const vault = withA([2]);
      const { vault: after, outcome } = addBatch(vault, 'instagram', incoming(A, [2, 3]), { source: 'typed' }, { now: LATER, newId: counterIds(), device: DEVICE });
      expect(outcome).toMatchObject({ kind: 'merged', newlySpent: 1 });
      expect(after.accounts[0]!.batches[0]!.codes.map((c) => c.spentAt)).toEqual([null, null, FIRST, LATER, null]);
    });

    it('accepts part of the batch (a subset) as the same batch', () => {
      const vault = withA();
      const { vault: after, outcome } = addBatch(vault, 'instagram', incoming([A[3]!, A[1]!], [0]), { source: 'typed' }, ctx);
      expect(outcome).toMatchObject({ kind: 'merged', newlySpent: 1 });
      expect(after.accounts[0]!.batches[0]!.codes.map((c) => c.spentAt)).toEqual([null, null, null, NOW, null]);
    });

    it('refuses a copy with codes the stored batch lacks (partial-batch), naming counts but no code', () => {
      const vault = withA();
      const error = pure(vault, (v) => domainError('partial-batch', () => addBatch(v, 'instagram', incoming([...A, '4444 3333']), { source: 'typed' }, ctx)));
      expect(error.message).toContain('5 of these codes');
      expect(error.message).toContain('1 are not');
      expect(error.message).toContain('instagram');
      expectNoCodeIn(error, [...A, '4444 3333']);
    });

    it('refuses codes mixing the active batch and a superseded one (partial-batch)', () => {
      const vault = supersededVault();
      const error = pure(vault, (v) => domainError('partial-batch', () => addBatch(v, 'instagram', incoming([B[1]!, A[1]!]), { source: 'typed' }, ctx)));
      expectNoCodeIn(error, [A[1]!, B[1]!]);
    });
  });

  describe('a batch that shares a code with a superseded one', () => {
    it('is refused (superseded-batch), with the date it was replaced and no code', () => {
      const vault = supersededVault();
      const error = pure(vault, (v) => domainError('superseded-batch', () => addBatch(v, 'instagram', incoming(A), { source: 'typed' }, ctx)));
      expect(error.message).toContain(day(EARLIER));
      expect(error.message).toContain('instagram');
      expect(error.details.hint).toContain('--as-superseded');
      expectNoCodeIn(error, A);
    });

    it('is refused even when it overlaps in one code only', () => {
      const vault = supersededVault();
      domainError('superseded-batch', () => addBatch(vault, 'instagram', incoming([A[4]!]), { source: 'typed' }, ctx));
    });

    it('with asSuperseded is merged into that batch, which stays superseded', () => {
      const vault = supersededVault();
      const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'instagram', incoming(A, [0, 1]), { source: 'typed', asSuperseded: true }, ctx));
      expect(outcome).toMatchObject({ kind: 'merged', newlySpent: 1, superseded: true });
      const [a, b] = after.accounts[0]!.batches;
      expect(after.accounts[0]!.batches).toHaveLength(2);
      expect(a?.codes.map((c) => c.spentAt)).toEqual(['2026-07-01T00:00:00.000Z', NOW, null, null, null]);
      expect(a?.supersededAt).toBe(EARLIER);
      expect(b).toEqual(vault.accounts[0]!.batches[1]);
      expect(activeBatch(after.accounts[0]!)?.id).toBe('bat-b');
    });

    it('with asSuperseded, a copy with extra codes is still refused (partial-batch)', () => {
      const vault = supersededVault();
      domainError('partial-batch', () => addBatch(vault, 'instagram', incoming([...A, '0000 1111']), { source: 'typed', asSuperseded: true }, ctx));
    });
  });

  describe('asSuperseded', () => {
    it('stores a batch nobody has seen as history, without making it active', () => {
      const vault = supersededVault();
      const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'instagram', incoming(['5555 0000', '6666 0000']), { source: 'import', asSuperseded: true }, ctx));
      expect(outcome.kind).toBe('stored-as-history');
      const stored = after.accounts[0]!;
      expect(stored.batches).toHaveLength(3);
      expect(stored.batches.slice(0, 2)).toEqual(vault.accounts[0]!.batches);
      expect(stored.batches[2]).toMatchObject({ addedAt: NOW, supersededAt: NOW, source: 'import' });
      expect(activeBatch(stored)?.id).toBe('bat-b');
    });

    it('creates an account with no active batch when the name is new', () => {
      const { vault: after, outcome } = addBatch(emptyVault(), 'instagram', incoming(A), { source: 'typed', asSuperseded: true }, ctx);
      expect(outcome.kind).toBe('stored-as-history');
      expect(after.accounts[0]!.batches[0]!.supersededAt).toBe(NOW);
      expect(activeBatch(after.accounts[0]!)).toBeUndefined();
    });

    it('on the active batch merges into it as usual', () => {
      const vault = withA();
      const { outcome } = addBatch(vault, 'instagram', incoming(A, [0]), { source: 'typed', asSuperseded: true }, ctx);
      expect(outcome).toMatchObject({ kind: 'merged', newlySpent: 1, superseded: false });
    });
  });

  it('adds a new batch as active to an account that has none (outcome added)', () => {
    const vault = addBatch(emptyVault(), 'instagram', incoming(A), { source: 'typed', asSuperseded: true }, { now: FIRST, newId: counterIds('h'), device: DEVICE }).vault;
    const { vault: after, outcome } = pure(vault, (v) => addBatch(v, 'instagram', incoming(B), { source: 'typed' }, ctx));
    expect(outcome.kind).toBe('added');
    expect(after.accounts[0]!.batches[0]).toEqual(vault.accounts[0]!.batches[0]);
    expect(activeBatch(after.accounts[0]!)?.id).toBe(outcome.batch.id);
  });

  it('refuses an empty batch (empty-batch), for a new or an existing account', () => {
    domainError('empty-batch', () => addBatch(emptyVault(), 'instagram', [], { source: 'typed' }, ctx));
    const vault = withA();
    pure(vault, (v) => domainError('empty-batch', () => addBatch(v, 'instagram', [], { source: 'typed' }, ctx)));
  });

  it.each([
    ['the same text', ['7391 0465', '1111 2222', '7391 0465'], 1, 3],
    ['other spacing and dashes', ['1111 2222', '73910465', '7391-0465'], 2, 3],
    ['other case', ['AB12-CD34', 'ab12cd34'], 1, 2],
    ['full-width digits', ['1111 2222', '3333 4444', '5555 6666', '\uFF11\uFF11\uFF11\uFF11\u00A0\uFF12\uFF12\uFF12\uFF12'], 1, 4],
  ])('refuses a code given twice (duplicate-code), as %s, naming positions but not the code', (_how, codes, first, second) => {
    const vault = withA();
    const error = pure(vault, (v) => domainError('duplicate-code', () => addBatch(v, 'instagram', incoming(codes), { source: 'typed' }, ctx)));
    expect(error.message).toContain(`codes ${first} and ${second}`);
    expectNoCodeIn(error, codes);
  });

  it.each([
    ['blank', ['1111 2222', '   '], 2],
    ['only dashes and invisible characters', ['-\u2014\u200B', '1111 2222'], 1],
    ['longer than 200 characters', ['1111 2222', '3333 4444', '7'.repeat(201)], 3],
  ])('refuses a code that is %s (invalid-code), naming its position', (_what, codes, position) => {
    const error = pure(withA(), (v) => domainError('invalid-code', () => addBatch(v, 'instagram', incoming(codes), { source: 'typed' }, ctx)));
    expect(error.message).toContain(`code ${position}`);
    expectNoCodeIn(error, codes.filter((c) => codeKey(c).length > 0));
  });

  it('accepts a code of exactly 200 characters', () => {
    const { outcome } = addBatch(emptyVault(), 'x', incoming(['7'.repeat(200)]), { source: 'typed' }, ctx);
    expect(outcome.batch.codes[0]!.code).toHaveLength(200);
  });
});

describe('useNextCode', () => {
  it('hands out the first unspent code of the active batch and marks it spent at now', () => {
    const vault = withA();
    const result = pure(vault, (v) => useNextCode(v, 'instagram', ctx));
    expect(result.code).toBe(A[0]);
    expect(result.remaining).toBe(4);
    expect(result.batch.codes.map((c) => c.spentAt)).toEqual([NOW, null, null, null, null]);
    expect(result.vault.accounts[0]).toEqual(result.account);
    expect(activeBatch(result.account)).toEqual(result.batch);
  });

  it('hands out the codes in order, one per call, until none is left', () => {
    let vault = withA();
    const handed: string[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < A.length; i += 1) {
      const result = useNextCode(vault, 'instagram', ctx);
      handed.push(result.code);
      remaining.push(result.remaining);
      vault = result.vault;
    }
    expect(handed).toEqual(A);
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const error = pure(vault, (v) => domainError('no-code-left', () => useNextCode(v, 'instagram', ctx)));
    expect(error.message).toContain('instagram');
    expect(error.details.hint).toContain('lifeboat add instagram');
    expectNoCodeIn(error, A);
  });

  it('skips codes already spent', () => {
    const result = useNextCode(withA([0, 1, 3]), 'instagram', ctx);
    expect(result.code).toBe(A[2]);
    expect(result.remaining).toBe(1);
  });

  it('never hands out a code of a superseded batch', () => {
    const result = useNextCode(supersededVault(), 'insta', ctx);
    expect(result.code).toBe(B[1]);
    expect(result.batch.id).toBe('bat-b');
    expect(result.vault.accounts[0]!.batches[0]).toEqual(supersededVault().accounts[0]!.batches[0]);
  });

  it('refuses an account whose batches are all superseded (no-code-left)', () => {
    const vault = addBatch(emptyVault(), 'instagram', incoming(A), { source: 'typed', asSuperseded: true }, ctx).vault;
    const error = domainError('no-code-left', () => useNextCode(vault, 'instagram', ctx));
    expectNoCodeIn(error, A);
  });

  it('resolves the account by prefix and refuses unknown or ambiguous ones', () => {
    expect(useNextCode(supersededVault(), 'GITHUB', ctx).code).toBe(C[0]);
    domainError('no-such-account', () => useNextCode(supersededVault(), 'twitter', ctx));
    const two = addBatch(supersededVault(), 'instant', incoming(['1212 3434']), { source: 'typed' }, ctx).vault;
    domainError('ambiguous-account', () => useNextCode(two, 'inst', ctx));
  });
});

describe('spendCode', () => {
  it('marks a code typed in any form as spent at now', () => {
    const vault = withA();
    const typed = ' \uFF15\uFF15\uFF11\uFF18\u20137720 ';
    const result = pure(vault, (v) => spendCode(v, 'instagram', typed, ctx));
    expect(result.batch.codes.map((c) => c.spentAt)).toEqual([null, null, NOW, null, null]);
    expect(result.active).toBe(true);
    expect(result.remaining).toBe(4);
    expect(result.vault.accounts[0]).toEqual(result.account);
  });

  it('refuses a code already spent (already-spent), saying when, without the code', () => {
    const vault = withA([3]);
    const error = pure(vault, (v) => domainError('already-spent', () => spendCode(v, 'instagram', A[3]!, ctx)));
    expect(error.message).toContain(when(FIRST));
    expect(error.message).toContain('2026-06-01 00:00 UTC');
    expectNoCodeIn(error, A);
  });

  it('refuses a code the account does not have (unknown-code), without the code', () => {
    const vault = supersededVault();
    const error = pure(vault, (v) => domainError('unknown-code', () => spendCode(v, 'instagram', C[1]!, ctx)));
    expect(error.message).toContain('instagram');
    expect(error.details.hint).toContain('lifeboat check');
    expectNoCodeIn(error, [C[1]!]);
  });

  it('marks a code of a superseded batch and says it is not active', () => {
    const vault = supersededVault();
    const result = pure(vault, (v) => spendCode(v, 'instagram', A[2]!, ctx));
    expect(result.active).toBe(false);
    expect(result.batch.id).toBe('bat-a');
    expect(result.batch.codes[2]!.spentAt).toBe(NOW);
    expect(result.remaining).toBe(4); // the active batch B: one of five spent
    expect(result.vault.accounts[0]!.batches[1]).toEqual(vault.accounts[0]!.batches[1]);
    expect(activeBatch(result.account)?.id).toBe('bat-b');
  });

  it('resolves the account by prefix', () => {
    expect(spendCode(supersededVault(), 'git', C[2]!, ctx).batch.codes[2]!.spentAt).toBe(NOW);
  });

  it('refuses an unknown account', () => {
    domainError('no-such-account', () => spendCode(supersededVault(), 'twitter', C[2]!, ctx));
  });
});

describe('unspendCode', () => {
  it('undoes a spent mark', () => {
    const vault = withA([0, 1]);
    const result = pure(vault, (v) => unspendCode(v, 'instagram', '2846-1903', ctx));
    expect(result.batch.codes.map((c) => c.spentAt)).toEqual([FIRST, null, null, null, null]);
    expect(result.remaining).toBe(4);
    expect(result.active).toBe(true);
  });

  it('gives back the code as it was after spendCode: unspent again, its spend kept as undone', () => {
    const vault = withA([4]);
    const spent = spendCode(vault, 'instagram', A[1]!, ctx).vault;
    expect(spent).not.toEqual(vault);
    const back = unspendCode(spent, 'instagram', A[1]!, ctx).vault;
    const codesOf = (v: VaultContent) => v.accounts[0]!.batches[0]!.codes.map((c) => [c.code, c.spentAt]);
    expect(codesOf(back)).toEqual(codesOf(vault));
    // The undone spend is remembered, so a merge with a copy that still has it spent cannot bring it back.
    expect(back.accounts[0]!.batches[0]!.codes[1]!.marks).toEqual([{ id: expect.any(String), at: NOW, undoneAt: NOW }]);
  });

  it('refuses a code that is not spent (not-spent), without the code', () => {
    const vault = withA();
    const error = pure(vault, (v) => domainError('not-spent', () => unspendCode(v, 'instagram', A[0]!, ctx)));
    expect(error.message).toContain('instagram');
    expectNoCodeIn(error, A);
  });

  it('refuses a code the account does not have (unknown-code)', () => {
    const error = domainError('unknown-code', () => unspendCode(withA(), 'instagram', '0000 0000', ctx));
    expectNoCodeIn(error, ['0000 0000']);
  });

  it('undoes a spent mark in a superseded batch', () => {
    const result = unspendCode(supersededVault(), 'instagram', A[0]!, ctx);
    expect(result.active).toBe(false);
    expect(result.batch.codes[0]!.spentAt).toBeNull();
  });
});

describe('checkCode', () => {
  it('finds an unspent code of an active batch, typed in any form', () => {
    const vault = supersededVault();
    const result = pure(vault, (v) => checkCode(v, 'IJKL\u2014MNOP'));
    expect(result).toEqual({
      state: 'unspent',
      match: { account: 'instagram', batch: 'bat-b', state: 'unspent', spentAt: null, batchAddedAt: EARLIER, supersededAt: null },
      matches: [{ account: 'instagram', batch: 'bat-b', state: 'unspent', spentAt: null, batchAddedAt: EARLIER, supersededAt: null }],
    });
  });

  it('finds a spent code of an active batch', () => {
    const result = checkCode(supersededVault(), B[0]!);
    expect(result.state).toBe('spent');
    expect(result.match).toMatchObject({ account: 'instagram', batch: 'bat-b', spentAt: '2026-10-02T00:00:00.000Z' });
  });

  it('finds a code of a superseded batch, spent or not, as superseded, with when it was replaced', () => {
    for (const typed of [A[0]!, A[1]!]) {
      const result = checkCode(supersededVault(), typed);
      expect(result.state).toBe('superseded');
      expect(result.match).toMatchObject({ account: 'instagram', batch: 'bat-a', state: 'superseded', batchAddedAt: FIRST, supersededAt: EARLIER });
    }
    expect(checkCode(supersededVault(), A[0]!).match?.spentAt).toBe('2026-07-01T00:00:00.000Z');
  });

  it('says unknown when no account has the code', () => {
    expect(checkCode(supersededVault(), '0000 0000')).toEqual({ state: 'unknown', match: null, matches: [] });
    expect(checkCode(emptyVault(), A[0]!)).toEqual({ state: 'unknown', match: null, matches: [] });
  });

  it('prefers a match that still works, then a spent one, then a superseded one', () => {
    const shared = '4242 4242';
    const superseded = account('s', 'old-service', [batch('s-1', FIRST, [shared], { supersededAt: EARLIER }), batch('s-2', EARLIER, ['1'])]);
    const spent = account('p', 'spent-service', [batch('p-1', FIRST, [code(shared, EARLIER)])]);
    const unspent = account('u', 'live-service', [batch('u-1', FIRST, [shared])]);

    const all = checkCode(vaultOf(superseded, spent, unspent), shared);
    expect(all.state).toBe('unspent');
    expect(all.match?.account).toBe('live-service');
    expect(all.matches.map((m) => [m.account, m.state])).toEqual([
      ['old-service', 'superseded'],
      ['spent-service', 'spent'],
      ['live-service', 'unspent'],
    ]);

    const noLive = checkCode(vaultOf(superseded, spent), shared);
    expect(noLive.state).toBe('spent');
    expect(noLive.match?.account).toBe('spent-service');
    expect(noLive.matches).toHaveLength(2);

    expect(checkCode(vaultOf(superseded), shared).state).toBe('superseded');
  });

  it('dates an unmarked inactive batch by the next batch added after it', () => {
    const shared = '4242 4242';
    const a = account('x', 'x', [
      batch('x-1', FIRST, [shared]),
      batch('x-3', LATER, ['3']),
      batch('x-2', EARLIER, ['2']),
    ]);
    expect(checkCode(vaultOf(a), shared).match).toMatchObject({ state: 'superseded', supersededAt: EARLIER });
  });
});

describe('renameAccount', () => {
  it('renames the account a query resolves to, keeping its id and batches', () => {
    const vault = supersededVault();
    const result = pure(vault, (v) => renameAccount(v, 'insta', 'instagram:personal', ctx));
    expect(result.oldName).toBe('instagram');
    expect(result.account).toEqual({ ...vault.accounts[0], name: 'instagram:personal', stamps: { ...LEGACY_STAMPS, name: { n: 1, d: DEVICE } } });
    expect(result.vault.accounts).toEqual([result.account, vault.accounts[1]]);
  });

  it('refuses a name another account has, in any case (account-exists)', () => {
    const vault = supersededVault();
    const error = pure(vault, (v) => domainError('account-exists', () => renameAccount(v, 'instagram', 'GitHub:Work', ctx)));
    expect(error.message).toContain('github:work');
  });

  it('allows changing the case of the same account', () => {
    const result = renameAccount(supersededVault(), 'instagram', 'Instagram', ctx);
    expect(result.account.name).toBe('Instagram');
    expect(result.vault.accounts.map((a) => a.name)).toEqual(['Instagram', 'github:work']);
  });

  it('refuses an invalid new name and an unknown account', () => {
    domainError('invalid-name', () => renameAccount(supersededVault(), 'instagram', 'insta\ngram', ctx));
    domainError('no-such-account', () => renameAccount(supersededVault(), 'twitter', 'x', ctx));
  });
});

describe('removeAccount', () => {
  it('removes the account and leaves a tombstone with its id, the time and the batches it removed', () => {
    const vault: VaultContent = { ...supersededVault(), tombstones: [{ id: 'gone', removedAt: FIRST }] };
    const result = pure(vault, (v) => removeAccount(v, 'INSTAGRAM', ctx));
    expect(result.vault).toEqual({
      accounts: [vault.accounts[1]],
      tombstones: [
        { id: 'gone', removedAt: FIRST },
        { id: 'acc-1', removedAt: NOW, batches: vault.accounts[0]!.batches.map((b) => b.id) },
      ],
    });
    expect(Object.keys(result.vault.tombstones[1]!).sort()).toEqual(['batches', 'id', 'removedAt']);
    expect(result.account).toEqual(vault.accounts[0]);
    expect(result.unspent).toBe(4);
  });

  it('takes the exact name only, not a prefix (no-such-account)', () => {
    const vault = supersededVault();
    const error = pure(vault, (v) => domainError('no-such-account', () => removeAccount(v, 'insta', ctx)));
    expect(error.details.hint).toContain('exact name');
  });

  it('counts no unspent code for an account without an active batch', () => {
    const vault = addBatch(emptyVault(), 'old', incoming(A), { source: 'typed', asSuperseded: true }, ctx).vault;
    expect(removeAccount(vault, 'old', ctx).unspent).toBe(0);
  });
});

describe('markPrinted', () => {
  it('records when one batch was printed, and nothing else', () => {
    const vault = supersededVault();
    const after = pure(vault, (v) => markPrinted(v, 'acc-1', 'bat-a', ctx));
    expect(after).toEqual(
      vaultOf(
        { ...vault.accounts[0]!, batches: [{ ...vault.accounts[0]!.batches[0]!, printedAt: NOW }, vault.accounts[0]!.batches[1]!] },
        vault.accounts[1]!,
      ),
    );
  });

  it('returns the vault as it is for an unknown account or batch, or a batch of another account', () => {
    const vault = supersededVault();
    expect(markPrinted(vault, 'nobody', 'bat-a', ctx)).toBe(vault);
    expect(markPrinted(vault, 'acc-1', 'nothing', ctx)).toBe(vault);
    expect(markPrinted(vault, 'acc-2', 'bat-a', ctx)).toBe(vault);
  });
});

describe('day and when', () => {
  it('show the date, and the date with minutes in UTC', () => {
    expect(day('2026-11-01T10:07:59.123Z')).toBe('2026-11-01');
    expect(when('2026-11-01T10:07:59.123Z')).toBe('2026-11-01 10:07 UTC');
  });
});

describe('the purity check of these tests', () => {
  it('catches a transition that changes its input', () => {
    const vault = supersededVault();
    expect(() =>
      pure(vault, (v) => {
        (v.accounts[0]!.batches[0]!.codes as unknown as { spentAt: string | null }[])[1]!.spentAt = NOW;
      }),
    ).toThrow(TypeError);
  });
});

describe('error messages', () => {
  it('never hold a code, for any refusal of a code operation', () => {
    // Gather every refusal that involves codes in one place, and check them all against every code.
    const vault = supersededVault();
    const errors = [
      domainError('superseded-batch', () => addBatch(vault, 'instagram', incoming(A), { source: 'typed' }, ctx)),
      domainError('partial-batch', () => addBatch(vault, 'instagram', incoming([...B, C[0]!]), { source: 'typed' }, ctx)),
      domainError('duplicate-code', () => addBatch(vault, 'new', incoming([C[0]!, C[0]!.toLowerCase()]), { source: 'typed' }, ctx)),
      domainError('invalid-code', () => addBatch(vault, 'new', incoming([C[0]!, '']), { source: 'typed' }, ctx)),
      domainError('already-spent', () => spendCode(vault, 'instagram', B[0]!, ctx)),
      domainError('unknown-code', () => spendCode(vault, 'instagram', C[0]!, ctx)),
      domainError('not-spent', () => unspendCode(vault, 'instagram', B[1]!, ctx)),
      domainError('no-code-left', () => useNextCode(addBatch(vault, 'x', incoming(A, [0, 1, 2, 3, 4]), { source: 'typed' }, ctx).vault, 'x', ctx)),
    ];
    for (const error of errors) expectNoCodeIn(error, ALL_CODES);
  });
});
