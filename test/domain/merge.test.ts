// Unit tests of mergeVaults, the pure core of `lifeboat import` (issue 4, "Export and backup").
import { describe, expect, it } from 'vitest';
import { activeBatch, emptyVault, mergeVaults, type Context, type VaultContent } from '../../src/domain/index.js';
import { account, batch, code, counterIds, deepFreeze, vaultOf } from './support.js';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-02-01T00:00:00.000Z';
const T3 = '2026-03-01T00:00:00.000Z';
const T4 = '2026-04-01T00:00:00.000Z';

const A = ['1111 2222', '3333 4444', '5555 6666'];
const B = ['aaaa-1111', 'bbbb-2222', 'cccc-3333'];
const C = ['Q1W2E3R4', 'T5Y6U7I8'];

/** A context whose id source must not be used: a merge of ordinary copies never needs a new id. */
const NOW_ = '2026-11-01T10:00:00.000Z';
const noIds: Pick<Context, 'newId' | 'now'> = {
  now: NOW_,
  newId: () => {
    throw new Error('newId was called');
  },
};

/** Merges deep-frozen copies and checks that neither input changed. */
function merge(target: VaultContent, incoming: VaultContent, context: Pick<Context, 'newId' | 'now'> = noIds) {
  const before = structuredClone([target, incoming]);
  const result = mergeVaults(deepFreeze(target), deepFreeze(incoming), context);
  expect([target, incoming]).toEqual(before);
  return result;
}

/** A vault with two accounts, some codes spent, a superseded batch and a tombstone. */
function sample(): VaultContent {
  return {
    accounts: [
      account('acc-ig', 'instagram', [batch('b-ig-1', T1, [code(A[0]!, T2), A[1]!, A[2]!])], { service: 'Instagram' }),
      account('acc-gh', 'github', [
        batch('b-gh-1', T1, B, { supersededAt: T2, printedAt: T1 }),
        batch('b-gh-2', T2, [code(C[0]!, T3), C[1]!]),
      ]),
    ],
    tombstones: [{ id: 'acc-gone', removedAt: T2 }],
  };
}

describe('mergeVaults: idempotence and the empty vault', () => {
  it('merge(x, x) = x, and says nothing changed', () => {
    const { vault, summary } = merge(sample(), sample());
    expect(vault).toEqual(sample());
    expect(summary).toEqual({
      accountsAdded: [],
      accountsMerged: [],
      accountsUnchanged: 2,
      batchesAdded: 0,
      batchesAddedAsHistory: [],
      codesNewlySpent: 0,
      codesIgnored: 0,
      detailChanges: [],
      detailsApplied: false,
      skippedAccounts: [],
      skippedBatches: 0,
      keptThoughRemovedThere: [],
      changed: false,
    });
  });

  it('merging the result with the same copy again changes nothing', () => {
    const target = vaultOf(account('acc-ig', 'instagram', [batch('b-ig-1', T1, A)]));
    const incoming = vaultOf(
      account('acc-ig', 'instagram', [batch('b-ig-1', T1, [code(A[0]!, T3), A[1]!, A[2]!]), batch('b-ig-2', T4, B)]),
      account('acc-x', 'x', [batch('b-x', T2, C)]),
    );
    const once = merge(target, incoming);
    expect(once.summary.changed).toBe(true);
    const twice = merge(once.vault, incoming);
    expect(twice.summary.changed).toBe(false);
    expect(twice.vault).toEqual(once.vault);
    expect(twice.summary.accountsUnchanged).toBe(2);
  });

  it('merge into an empty vault gives the incoming accounts, without the incoming tombstones', () => {
    const { vault, summary } = merge(emptyVault(), sample());
    expect(vault).toEqual({ accounts: sample().accounts, tombstones: [] });
    expect(summary.accountsAdded).toEqual(['instagram', 'github']);
    expect(summary.batchesAdded).toBe(3);
    expect(summary.codesNewlySpent).toBe(0);
    expect(summary.changed).toBe(true);
  });

  it('merging an empty copy changes nothing', () => {
    const { vault, summary } = merge(sample(), emptyVault());
    expect(vault).toEqual(sample());
    expect(summary.changed).toBe(false);
  });
});

describe('mergeVaults: matching accounts', () => {
  it('matches by id first: a renamed account merges into the vault\'s, which keeps its name', () => {
    const target = vaultOf(account('acc-1', 'github', [batch('b-1', T1, B)]));
    const incoming = vaultOf(account('acc-1', 'github:work', [batch('b-1', T1, [code(B[1]!, T2), B[0]!, B[2]!])]));
    const { vault, summary } = merge(target, incoming);
    expect(vault.accounts).toHaveLength(1);
    expect(vault.accounts[0]?.name).toBe('github');
    expect(vault.accounts[0]?.batches[0]?.codes.map((c) => c.spentAt)).toEqual([null, T2, null]);
    expect(summary.accountsMerged).toEqual(['github']);
    expect(summary.codesNewlySpent).toBe(1);
  });

  it('matches by case-insensitive name: the vault keeps its id and its active batch; the export\'s batch is history', () => {
    const target = vaultOf(account('acc-new', 'GitHub', [batch('b-1', T3, B)], { createdAt: T3 }));
    const incoming = vaultOf(account('acc-old', 'github', [batch('b-2', T1, A)], { createdAt: T1, username: 'me@example.com' }));
    const { vault, summary } = merge(target, incoming);
    expect(vault.accounts).toHaveLength(1);
    const merged = vault.accounts[0]!;
    expect(merged.id).toBe('acc-new');
    expect(merged.createdAt).toBe(T3);
    expect(merged.name).toBe('GitHub');
    // A detail the export would change is offered, not applied.
    expect(merged.username).toBeNull();
    expect(summary.detailChanges).toEqual([{ account: 'GitHub', field: 'username', from: null, to: 'me@example.com' }]);
    expect(merged.batches.map((b) => b.id)).toEqual(['b-1', 'b-2']);
    expect(activeBatch(merged)?.id).toBe('b-1');
    expect(merged.batches[1]?.supersededAt).toBe(NOW_);
    expect(summary).toMatchObject({ accountsAdded: [], accountsMerged: ['GitHub'], batchesAdded: 1, batchesAddedAsHistory: [{ account: 'GitHub', count: 1 }] });
  });

  it('applies the export\'s details to an existing account only when they were accepted', () => {
    const target = vaultOf(account('acc-1', 'github', [batch('b-1', T1, B)], { service: 'GitHub' }));
    const incoming = vaultOf(account('acc-1', 'github', [batch('b-1', T1, B)], { service: 'Evil', note: 'call +1 555' }));
    const refused = merge(target, incoming);
    expect(refused.vault).toEqual(target);
    expect(refused.summary.changed).toBe(false);
    expect(refused.summary.detailChanges.map((c) => c.field)).toEqual(['service', 'note']);
    const accepted = mergeVaults(target, incoming, noIds, { acceptDetails: true });
    expect(accepted.vault.accounts[0]).toMatchObject({ service: 'Evil', note: 'call +1 555' });
    expect(accepted.summary.detailsApplied).toBe(true);
  });

  it('matches by name: the vault\'s id stays when it is the older one, and its details are not overwritten', () => {
    const target = vaultOf(account('acc-old', 'github', [batch('b-1', T1, B)], { createdAt: T1, service: 'GitHub' }));
    const incoming = vaultOf(account('acc-new', 'GITHUB', [batch('b-1-copy', T2, B)], { createdAt: T2, service: 'Other', note: 'a note' }));
    const { vault } = merge(target, incoming);
    const merged = vault.accounts[0]!;
    expect(merged.id).toBe('acc-old');
    expect(merged.createdAt).toBe(T1);
    expect(merged.service).toBe('GitHub');
    expect(merged.note).toBeNull();
    // Same code set under another id: the same batch, not a second one.
    expect(merged.batches.map((b) => b.id)).toEqual(['b-1']);
  });

  it('adds an account found neither by id nor by name', () => {
    const target = vaultOf(account('acc-1', 'github', [batch('b-1', T1, B)]));
    const incoming = vaultOf(account('acc-2', 'gitlab', [batch('b-2', T1, C)]));
    const { vault, summary } = merge(target, incoming);
    expect(vault.accounts.map((a) => a.name)).toEqual(['github', 'gitlab']);
    expect(vault.accounts[1]).toEqual(incoming.accounts[0]);
    expect(summary).toMatchObject({ accountsAdded: ['gitlab'], accountsMerged: [], batchesAdded: 1 });
  });
});

describe('mergeVaults: matching batches', () => {
  it('matches by id and merges spent marks forward, keeping the earlier time', () => {
    const target = vaultOf(account('acc', 'ig', [batch('b', T1, [code(A[0]!, T3), code(A[1]!, T2), A[2]!])]));
    const incoming = vaultOf(account('acc', 'ig', [batch('b', T1, [code(A[0]!, T2), A[1]!, code(A[2]!, T4)])]));
    const { vault, summary } = merge(target, incoming);
    expect(vault.accounts[0]?.batches[0]?.codes).toEqual([code(A[0]!, T2), code(A[1]!, T2), code(A[2]!, T4)]);
    // Only A[2] went from unspent to spent; A[0] got an earlier time, which is a change but not a new mark.
    expect(summary.codesNewlySpent).toBe(1);
    expect(summary.accountsMerged).toEqual(['ig']);
  });

  it('never unspends: a code spent here and unspent in the copy stays spent', () => {
    const target = vaultOf(account('acc', 'ig', [batch('b', T1, [code(A[0]!, T2), A[1]!, A[2]!])]));
    const incoming = vaultOf(account('acc', 'ig', [batch('b', T1, A)]));
    const { vault, summary } = merge(target, incoming);
    expect(vault).toEqual(target);
    expect(summary.changed).toBe(false);
  });

  it('matches by code set when the ids differ, comparing codes as codes (spacing, dashes, case, order)', () => {
    const target = vaultOf(account('acc', 'gh', [batch('b-here', T2, ['AAAA-1111', 'bbbb-2222', 'cccc-3333'])]));
    const incoming = vaultOf(account('acc', 'gh', [batch('b-there', T1, [code('cccc 3333'), code('aaaa1111', T3), code('BBBB-2222')])]));
    const { vault, summary } = merge(target, incoming);
    const merged = vault.accounts[0]!.batches;
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: 'b-here', addedAt: T2 });
    // The vault's own spelling of each code is kept.
    expect(merged[0]?.codes).toEqual([code('AAAA-1111', T3), code('bbbb-2222'), code('cccc-3333')]);
    expect(summary.batchesAdded).toBe(0);
    expect(summary.codesNewlySpent).toBe(1);
  });

  it('a batch with an overlapping but different code set is a different batch: added', () => {
    const target = vaultOf(account('acc', 'ig', [batch('b-1', T1, A)]));
    const incoming = vaultOf(account('acc', 'ig', [batch('b-2', T2, A.slice(0, 2))]));
    const { vault, summary } = merge(target, incoming);
    expect(vault.accounts[0]?.batches.map((b) => b.id)).toEqual(['b-1', 'b-2']);
    expect(summary.batchesAdded).toBe(1);
  });

  it('never changes the active batch: a newer batch from the export is added as history (issue 11)', () => {
    const target = vaultOf(account('acc', 'ig', [batch('b-old', T1, A)]));
    const incoming = vaultOf(account('acc', 'ig', [batch('b-old', T1, A, { supersededAt: T2 }), batch('b-new', T2, B)]));
    const { vault } = merge(target, incoming);
    const merged = vault.accounts[0]!;
    expect(activeBatch(merged)?.id).toBe('b-old');
    expect(merged.batches[0]?.supersededAt).toBeNull();
    expect(merged.batches[1]).toMatchObject({ id: 'b-new', supersededAt: NOW_ });
  });

  it('supersededAt: the earliest non-null; printedAt: the latest non-null', () => {
    const target = vaultOf(
      account('acc', 'ig', [
        batch('b-1', T1, A, { supersededAt: T3, printedAt: T1 }),
        batch('b-2', T1, B, { supersededAt: null, printedAt: null }),
        batch('b-3', T4, C, { supersededAt: T2, printedAt: T3 }),
      ]),
    );
    const incoming = vaultOf(
      account('acc', 'ig', [
        batch('b-1', T1, A, { supersededAt: T2, printedAt: T2 }),
        batch('b-2', T1, B, { supersededAt: T4, printedAt: T4 }),
        batch('b-3', T4, C, { supersededAt: null, printedAt: null }),
      ]),
    );
    const { vault } = merge(target, incoming);
    // b-2 is the active batch: an export never supersedes it.
    expect(vault.accounts[0]?.batches.map((b) => [b.id, b.supersededAt, b.printedAt])).toEqual([
      ['b-1', T2, T2],
      ['b-2', null, T4],
      ['b-3', T2, T3],
    ]);
  });

  it('compares times as instants, not as text', () => {
    const target = vaultOf(account('acc', 'ig', [batch('b', T1, [code(A[0]!, '2026-05-01T00:00:00Z'), A[1]!, A[2]!])]));
    const incoming = vaultOf(account('acc', 'ig', [batch('b', T1, [code(A[0]!, '2026-05-01T00:00:00.000Z'), A[1]!, A[2]!])]));
    const { summary } = merge(target, incoming);
    expect(summary.changed).toBe(false);
  });
});

describe('mergeVaults: removals', () => {
  it('skips and reports accounts removed here (their id is a tombstone of the target)', () => {
    const target: VaultContent = {
      accounts: [account('acc-1', 'github', [batch('b-1', T1, B)])],
      tombstones: [{ id: 'acc-gone', removedAt: T3 }],
    };
    const incoming = vaultOf(account('acc-1', 'github', [batch('b-1', T1, B)]), account('acc-gone', 'old-forum', [batch('b-9', T1, A)]));
    const { vault, summary } = merge(target, incoming);
    expect(vault).toEqual(target);
    expect(summary.skippedAccounts).toEqual(['old-forum']);
    expect(summary.changed).toBe(false);
  });

  it('skips a removed account even when a new account here has its name', () => {
    const target: VaultContent = {
      accounts: [account('acc-new', 'forum', [batch('b-new', T3, C)], { createdAt: T3 })],
      tombstones: [{ id: 'acc-old', removedAt: T2 }],
    };
    const incoming = vaultOf(account('acc-old', 'forum', [batch('b-old', T1, A)], { createdAt: T1 }));
    const { vault, summary } = merge(target, incoming);
    expect(vault).toEqual(target);
    expect(summary.skippedAccounts).toEqual(['forum']);
  });

  it('skips batches removed here', () => {
    const target: VaultContent = { accounts: [account('acc', 'ig', [batch('b-1', T2, B)])], tombstones: [{ id: 'b-0', removedAt: T3 }] };
    const incoming = vaultOf(account('acc', 'ig', [batch('b-0', T1, A), batch('b-1', T2, B)]));
    const { vault, summary } = merge(target, incoming);
    expect(vault).toEqual(target);
    expect(summary.skippedBatches).toBe(1);
  });

  it('never applies the copy\'s tombstones: the account stays, and is reported', () => {
    const target = vaultOf(account('acc-1', 'github', [batch('b-1', T1, B)]), account('acc-2', 'gitlab', [batch('b-2', T1, C)]));
    const incoming: VaultContent = {
      accounts: [account('acc-1', 'github', [batch('b-1', T1, B)])],
      tombstones: [{ id: 'acc-2', removedAt: T3 }],
    };
    const { vault, summary } = merge(target, incoming);
    expect(vault).toEqual(target);
    expect(summary.keptThoughRemovedThere).toEqual(['gitlab']);
    expect(summary.changed).toBe(false);
  });
});

describe('mergeVaults: ids stay unique', () => {
  it('gives a fresh id to an incoming batch whose id another account of the vault already uses', () => {
    const target = vaultOf(account('acc-1', 'github', [batch('b-1', T1, B)]));
    const incoming = vaultOf(account('acc-2', 'gitlab', [batch('b-1', T1, C)]));
    const { vault } = merge(target, incoming, { newId: counterIds('fresh'), now: noIds.now });
    expect(vault.accounts.map((a) => a.batches.map((b) => b.id))).toEqual([['b-1'], ['fresh-0001']]);
    const ids = vault.accounts.flatMap((a) => [a.id, ...a.batches.map((b) => b.id)]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the vault\'s account id when the older incoming id is already used by something else', () => {
    const target = vaultOf(account('acc-new', 'github', [batch('b-1', T3, B)], { createdAt: T3 }), account('acc-x', 'x', [batch('acc-old', T1, C)]));
    const incoming = vaultOf(account('acc-old', 'GitHub', [batch('b-1', T3, B)], { createdAt: T1 }));
    const { vault } = merge(target, incoming);
    expect(vault.accounts.map((a) => a.id)).toEqual(['acc-new', 'acc-x']);
    expect(vault.accounts[0]?.createdAt).toBe(T3);
  });
});
