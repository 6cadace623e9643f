import { codeKey } from './code-text.js';
import type { Account, Batch, Code, VaultContent } from './model.js';
import type { Context } from './transitions.js';

/**
 * Merging a copy of a vault (an export, or a diverged copy) into the vault, for `lifeboat import`.
 *
 * The model was built for this: ids are stable and random, states only move forward (unspent to spent,
 * active to superseded), and removals leave tombstones. So a merge never has to choose between two
 * truths: it keeps every account, batch and spent mark that either side has, and each state is the
 * furthest either side reached.
 */

/** What `mergeVaults` did, for the command line to word. Names are as they stand in the merged vault. */
export interface MergeSummary {
  /** Accounts the vault did not have, now added with their batches. */
  readonly accountsAdded: readonly string[];
  /** Accounts the vault had that gained something: a batch, a spent mark, a date, a detail. */
  readonly accountsMerged: readonly string[];
  /** How many incoming accounts matched one in the vault and brought nothing new. */
  readonly accountsUnchanged: number;
  /** Batches added, to new accounts and existing ones alike. */
  readonly batchesAdded: number;
  /** Codes that were unspent in the vault and are spent now, because the copy had them spent. */
  readonly codesNewlySpent: number;
  /** Incoming accounts skipped because they were removed from the vault (their id is a tombstone here). */
  readonly skippedAccounts: readonly string[];
  /** Incoming batches skipped because they were removed from the vault. */
  readonly skippedBatches: number;
  /** Accounts of the vault that the copy had removed: kept, since an import never removes anything. */
  readonly keptThoughRemovedThere: readonly string[];
  /** Whether the merged vault differs from the target at all. */
  readonly changed: boolean;
}

/**
 * Merges `incoming` into `target` and returns the new vault with a summary. Pure: neither input is changed.
 *
 * - Accounts match by id, else by case-insensitive name. Matched by name, the older account's id (the
 *   earlier `createdAt`) wins; the vault's name is kept, and a missing service, username or note is filled
 *   in from the copy.
 * - Batches of a matched account match by id, else by their code set (the same set of `codeKey`s). A
 *   matched batch keeps the vault's id, date and source; a batch found on neither side is added.
 * - Spent marks are kept: a code spent on either side is spent, with the earlier `spentAt`. A batch's
 *   `supersededAt` is the earliest non-null of both, its `printedAt` the latest. States only move forward,
 *   and nothing is ever duplicated, so merging the same copy twice changes nothing the second time.
 * - Accounts and batches whose id is in the target's tombstones are skipped: they were removed here.
 * - The incoming copy's own tombstones are NOT applied, nor copied: an import never deletes anything
 *   from the vault. Accounts of the vault that the copy had removed are only reported.
 *
 * `context.newId` is called only when an incoming id is already used by a different account or batch of
 * the vault (a hand-edited file), so the merged vault still holds each id once.
 */
export function mergeVaults(
  target: VaultContent,
  incoming: VaultContent,
  context: Pick<Context, 'newId'>,
): { vault: VaultContent; summary: MergeSummary } {
  const removedHere = new Set(target.tombstones.map((tombstone) => tombstone.id));
  const ids = new Set<string>(target.accounts.flatMap((account) => [account.id, ...account.batches.map((batch) => batch.id)]));
  const freshId = (wanted: string): string => {
    if (!ids.has(wanted)) return wanted;
    let id = context.newId();
    while (ids.has(id)) id = context.newId();
    return id;
  };

  const accounts = [...target.accounts];
  const addedAt = new Set<number>();
  const mergedAt = new Set<number>();
  const skippedAccounts: string[] = [];
  let accountsUnchanged = 0;
  let batchesAdded = 0;
  let codesNewlySpent = 0;
  let skippedBatches = 0;

  for (const theirs of incoming.accounts) {
    if (removedHere.has(theirs.id)) {
      skippedAccounts.push(theirs.name);
      continue;
    }
    let index = accounts.findIndex((account) => account.id === theirs.id);
    if (index < 0) index = accounts.findIndex((account) => sameName(account.name, theirs.name));

    if (index < 0) {
      const batches: Batch[] = [];
      for (const batch of theirs.batches) {
        if (removedHere.has(batch.id)) {
          skippedBatches += 1;
          continue;
        }
        const id = freshId(batch.id);
        ids.add(id);
        batches.push(id === batch.id ? batch : { ...batch, id });
      }
      const id = freshId(theirs.id);
      ids.add(id);
      accounts.push({ ...theirs, id, batches });
      addedAt.add(accounts.length - 1);
      batchesAdded += batches.length;
      continue;
    }

    const ours = accounts[index];
    if (!ours) continue;
    const outcome = mergeAccount(ours, theirs, removedHere, ids, freshId);
    batchesAdded += outcome.batchesAdded;
    codesNewlySpent += outcome.codesNewlySpent;
    skippedBatches += outcome.skippedBatches;
    if (equalValue(outcome.account, ours)) {
      if (!addedAt.has(index)) accountsUnchanged += 1;
      continue;
    }
    accounts[index] = outcome.account;
    if (!addedAt.has(index)) mergedAt.add(index);
  }

  const removedThere = new Set(incoming.tombstones.map((tombstone) => tombstone.id));
  const changed = addedAt.size > 0 || mergedAt.size > 0;
  const nameAt = (index: number): string => accounts[index]?.name ?? '';
  return {
    vault: changed ? { accounts, tombstones: target.tombstones } : target,
    summary: {
      accountsAdded: [...addedAt].map(nameAt),
      accountsMerged: [...mergedAt].map(nameAt),
      accountsUnchanged,
      batchesAdded,
      codesNewlySpent,
      skippedAccounts,
      skippedBatches,
      keptThoughRemovedThere: accounts.filter((account) => removedThere.has(account.id)).map((account) => account.name),
      changed,
    },
  };
}

/** Merges one incoming account into the vault's account it matched. Updates `ids` as ids come and go. */
function mergeAccount(
  ours: Account,
  theirs: Account,
  removedHere: ReadonlySet<string>,
  ids: Set<string>,
  freshId: (wanted: string) => string,
): { account: Account; batchesAdded: number; codesNewlySpent: number; skippedBatches: number } {
  let id = ours.id;
  // Matched by name: the older id wins, unless the vault already uses it for something else.
  if (theirs.id !== ours.id && isBefore(theirs.createdAt, ours.createdAt) && !ids.has(theirs.id)) {
    ids.delete(ours.id);
    ids.add(theirs.id);
    id = theirs.id;
  }

  const batches = [...ours.batches];
  let batchesAdded = 0;
  let codesNewlySpent = 0;
  let skippedBatches = 0;
  for (const batch of theirs.batches) {
    if (removedHere.has(batch.id)) {
      skippedBatches += 1;
      continue;
    }
    let index = batches.findIndex((candidate) => candidate.id === batch.id);
    if (index < 0) index = batches.findIndex((candidate) => sameCodeSet(candidate, batch));
    const match = batches[index];
    if (!match) {
      const batchId = freshId(batch.id);
      ids.add(batchId);
      batches.push(batchId === batch.id ? batch : { ...batch, id: batchId });
      batchesAdded += 1;
      continue;
    }
    const merged = mergeBatch(match, batch);
    batches[index] = merged.batch;
    codesNewlySpent += merged.newlySpent;
  }

  return {
    account: {
      ...ours,
      id,
      service: ours.service ?? theirs.service,
      username: ours.username ?? theirs.username,
      note: ours.note ?? theirs.note,
      createdAt: earlier(ours.createdAt, theirs.createdAt),
      batches,
    },
    batchesAdded,
    codesNewlySpent,
    skippedBatches,
  };
}

/**
 * Merges two copies of one batch: every spent mark (the earlier time), the earliest superseded mark, the
 * latest printed mark. Codes only the copy has (a hand-edited file) are appended, never duplicated.
 */
function mergeBatch(ours: Batch, theirs: Batch): { batch: Batch; newlySpent: number } {
  const theirsByKey = new Map<string, Code>();
  for (const code of theirs.codes) {
    const key = codeKey(code.code);
    const seen = theirsByKey.get(key);
    theirsByKey.set(key, seen ? { ...seen, spentAt: earlierOrNull(seen.spentAt, code.spentAt) } : code);
  }
  let newlySpent = 0;
  const codes = ours.codes.map((code): Code => {
    const key = codeKey(code.code);
    const other = theirsByKey.get(key);
    theirsByKey.delete(key);
    const spentAt = earlierOrNull(code.spentAt, other?.spentAt ?? null);
    if (spentAt === code.spentAt) return code;
    if (code.spentAt === null) newlySpent += 1;
    return { ...code, spentAt };
  });
  return {
    batch: {
      ...ours,
      supersededAt: earlierOrNull(ours.supersededAt, theirs.supersededAt),
      printedAt: laterOrNull(ours.printedAt, theirs.printedAt),
      copiedAt: laterOrNull(ours.copiedAt, theirs.copiedAt),
      codes: [...codes, ...theirsByKey.values()],
    },
    newlySpent,
  };
}

/** Names compare as the vault compares them: NFC, case-insensitively. */
function sameName(a: string, b: string): boolean {
  return a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();
}

/** Two batches hold the same codes (as comparison keys, in any order). An empty batch matches nothing. */
function sameCodeSet(a: Batch, b: Batch): boolean {
  const keys = new Set(a.codes.map((code) => codeKey(code.code)));
  const others = new Set(b.codes.map((code) => codeKey(code.code)));
  return keys.size > 0 && keys.size === others.size && [...others].every((key) => keys.has(key));
}

/**
 * Whether time `a` is strictly before time `b`. Compared as instants, not strings: `…00Z` and `…00.000Z`
 * are the same time but do not sort as the same text.
 */
function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

/** The earlier of two times; on a tie, the first. */
function earlier(a: string, b: string): string {
  return isBefore(b, a) ? b : a;
}

/** The earlier of two times where null means "not yet": the earliest non-null. */
function earlierOrNull(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return earlier(a, b);
}

/** The latest non-null of two times; on a tie, the first. */
function laterOrNull(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return isBefore(a, b) ? b : a;
}

/** Structural equality of plain data (the model holds only strings, nulls, arrays and records). */
function equalValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => equalValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
