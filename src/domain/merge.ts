import { activeBatch, compareBatches, nameKey, validateAccountName } from './accounts.js';
import { codeKey } from './code-text.js';
import { DomainError } from './errors.js';
import type { Account, Batch, Code, SpendMark, VaultContent } from './model.js';
import { marksOf, withMarks } from './stamps.js';
import type { Context } from './transitions.js';
import { isSoundId, validateCodeText } from './validate.js';

/**
 * Importing an export (`lifeboat import`): a file that is not a copy of this vault, which anyone may
 * have written, so it is untrusted (docs/vault-format.md, "Importing an export"). It can add accounts the
 * vault lacks, add old batches as history, and mark codes spent; it can never decide which batch of an
 * existing account is active, never add codes to a stored batch, never change an account's details
 * unless the user accepts them, and never remove anything. Merging a copy of the same vault is a
 * different, trusted operation: see sync.ts.
 */

/** The most an import may bring, so that a hostile file cannot cost minutes or gigabytes. */
export const IMPORT_LIMITS = { accounts: 10_000, codes: 200_000 } as const;

/** How far in the future a time in an export may lie (clocks disagree a little). */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

/** A detail of an existing account that the export would change. */
export interface DetailChange {
  readonly account: string;
  readonly field: 'service' | 'username' | 'note';
  readonly from: string | null;
  readonly to: string;
}

/** What `mergeVaults` did, for the command line to word. Names are as they stand in the merged vault. */
export interface MergeSummary {
  /** Accounts the vault did not have, now added with their batches. */
  readonly accountsAdded: readonly string[];
  /** Accounts the vault had that gained something: a batch, a spent mark, a detail. */
  readonly accountsMerged: readonly string[];
  /** How many incoming accounts matched one in the vault and brought nothing new. */
  readonly accountsUnchanged: number;
  /** Batches added, to new accounts and existing ones alike. */
  readonly batchesAdded: number;
  /** Batches added to existing accounts as history: the account's active batch stays the one it was. */
  readonly batchesAddedAsHistory: readonly { readonly account: string; readonly count: number }[];
  /** Codes that were unspent in the vault and are spent now, because the copy had them spent. */
  readonly codesNewlySpent: number;
  /** Codes the export lists in a batch the vault holds without them: never added to a stored batch. */
  readonly codesIgnored: number;
  /** Details of existing accounts the export would change; applied only when `acceptDetails`. */
  readonly detailChanges: readonly DetailChange[];
  /** Whether `detailChanges` were applied. */
  readonly detailsApplied: boolean;
  /** Incoming accounts skipped because they were removed from the vault (their id is a tombstone here). */
  readonly skippedAccounts: readonly string[];
  /** Incoming batches skipped because they were removed from the vault. */
  readonly skippedBatches: number;
  /** Accounts of the vault that the copy had removed: kept, since an import never removes anything. */
  readonly keptThoughRemovedThere: readonly string[];
  /** Whether the merged vault differs from the target at all. */
  readonly changed: boolean;
}

/** Options of an import. */
export interface ImportOptions {
  /** Apply the export's service, username and note to existing accounts (the user saw and accepted them). */
  readonly acceptDetails: boolean;
}

/**
 * Merges an export into the vault and returns the new vault with a summary. Pure, and linear in the size
 * of both: accounts are found through maps by id and by name, batches by id and by code set.
 *
 * - The export is checked first (`checkExport`): sizes, names, codes, and dates (none in the future, none
 *   before its account was created). Any failure refuses the whole import.
 * - Accounts match by id, else by name (`nameKey`). A new account comes in with its batches, ordered as
 *   the export ordered them but behind any batch this vault adds later (their logical times are reset).
 * - For an existing account: a batch it already holds (same id, or same code set) gains the export's
 *   spent marks for the codes it has, nothing else; a batch it lacks comes in as history (superseded), so
 *   the active batch stays the one the user stored; details change only with `acceptDetails`.
 * - Accounts and batches removed from this vault are skipped; the export's own removals are not applied.
 *
 * `context.newId` is called only when an incoming id is already used by another account or batch of
 * the vault, so the merged vault still holds each id once.
 */
export function mergeVaults(
  target: VaultContent,
  incoming: VaultContent,
  context: Pick<Context, 'newId' | 'now'>,
  options: ImportOptions = { acceptDetails: false },
): { vault: VaultContent; summary: MergeSummary } {
  checkExport(incoming, context.now);
  const removedHere = new Set(target.tombstones.map((tombstone) => tombstone.id));
  const ids = new Set<string>();
  for (const account of target.accounts) {
    ids.add(account.id);
    for (const batch of account.batches) ids.add(batch.id);
  }
  const freshId = (wanted: string): string => {
    // An id from an export that is not one lifeboat would draw is replaced, like one already in use.
    let id = isSoundId(wanted) ? wanted : context.newId();
    while (ids.has(id)) id = context.newId();
    ids.add(id);
    return id;
  };
  const byId = new Map<string, number>();
  const byName = new Map<string, number>();
  target.accounts.forEach((account, index) => {
    byId.set(account.id, index);
    byName.set(nameKey(account.name), index);
  });

  const accounts = [...target.accounts];
  const added = new Set<number>();
  const merged = new Set<number>();
  const skippedAccounts: string[] = [];
  const history: { account: string; count: number }[] = [];
  const detailChanges: DetailChange[] = [];
  let accountsUnchanged = 0;
  let batchesAdded = 0;
  let codesNewlySpent = 0;
  let codesIgnored = 0;
  let skippedBatches = 0;

  for (const theirs of incoming.accounts) {
    if (removedHere.has(theirs.id)) {
      skippedAccounts.push(theirs.name);
      continue;
    }
    const index = byId.get(theirs.id) ?? byName.get(nameKey(theirs.name));
    if (index === undefined || added.has(index)) {
      if (index !== undefined) continue; // the same account twice in one export: the first one counts
      const kept = theirs.batches.filter((batch) => !removedHere.has(batch.id));
      skippedBatches += theirs.batches.length - kept.length;
      const batches = kept.sort(compareBatches).map((batch) => foreignBatch(batch, freshId(batch.id), batch.supersededAt));
      if (batches.length === 0) continue;
      const account: Account = { id: freshId(theirs.id), name: validateAccountName(theirs.name), service: theirs.service, username: theirs.username, note: theirs.note, createdAt: theirs.createdAt, batches };
      accounts.push(account);
      const at = accounts.length - 1;
      added.add(at);
      byId.set(account.id, at);
      byName.set(nameKey(account.name), at);
      batchesAdded += batches.length;
      continue;
    }

    const ours = accounts[index] as Account;
    const outcome = mergeAccount(ours, theirs, removedHere, freshId, context.now, options);
    batchesAdded += outcome.batchesAdded;
    codesNewlySpent += outcome.codesNewlySpent;
    codesIgnored += outcome.codesIgnored;
    skippedBatches += outcome.skippedBatches;
    detailChanges.push(...outcome.detailChanges);
    if (outcome.batchesAdded > 0) history.push({ account: ours.name, count: outcome.batchesAdded });
    if (outcome.account === ours) {
      accountsUnchanged += 1;
      continue;
    }
    accounts[index] = outcome.account;
    merged.add(index);
  }

  const removedThere = new Set(incoming.tombstones.map((tombstone) => tombstone.id));
  const changed = added.size > 0 || merged.size > 0;
  const nameAt = (index: number): string => accounts[index]?.name ?? '';
  return {
    vault: changed ? { ...target, accounts } : target,
    summary: {
      accountsAdded: [...added].map(nameAt),
      accountsMerged: [...merged].map(nameAt),
      accountsUnchanged,
      batchesAdded,
      batchesAddedAsHistory: history,
      codesNewlySpent,
      codesIgnored,
      detailChanges,
      detailsApplied: options.acceptDetails && detailChanges.length > 0,
      skippedAccounts,
      skippedBatches,
      keptThoughRemovedThere: accounts.filter((account) => removedThere.has(account.id)).map((account) => account.name),
      changed,
    },
  };
}

/**
 * Checks an export before anything of it is used: no more than IMPORT_LIMITS, every name one `add`
 * would accept, every code printable and not a formula, and every time possible: not in the future
 * (beyond clock skew) and not before its account was created.
 */
export function checkExport(incoming: VaultContent, now: string): void {
  if (incoming.accounts.length > IMPORT_LIMITS.accounts) {
    throw new DomainError('invalid-import', `the export holds more than ${IMPORT_LIMITS.accounts} accounts`);
  }
  const latest = Date.parse(now) + CLOCK_SKEW_MS;
  let codes = 0;
  incoming.accounts.forEach((account, i) => {
    const where = `account ${i + 1}`;
    try {
      validateAccountName(account.name);
    } catch (error) {
      throw new DomainError('invalid-import', `${where} has an invalid name (${(error as Error).message})`);
    }
    const created = Date.parse(account.createdAt);
    const notAfterNow = (time: string | null, label: string): void => {
      if (time !== null && Date.parse(time) > latest) throw new DomainError('invalid-import', `${label} lies in the future`);
    };
    const notBeforeCreation = (time: string | null, label: string): void => {
      notAfterNow(time, label);
      if (time !== null && Date.parse(time) < created) throw new DomainError('invalid-import', `${label} lies before its account was created`);
    };
    notAfterNow(account.createdAt, `${where} createdAt`);
    account.batches.forEach((batch, j) => {
      const inBatch = `${where} batch ${j + 1}`;
      for (const field of ['addedAt', 'supersededAt', 'printedAt', 'copiedAt'] as const) notBeforeCreation(batch[field], `${inBatch} ${field}`);
      codes += batch.codes.length;
      if (codes > IMPORT_LIMITS.codes) throw new DomainError('invalid-import', `the export holds more than ${IMPORT_LIMITS.codes} codes`);
      batch.codes.forEach((code, k) => {
        try {
          validateCodeText(code.code, `${inBatch} code ${k + 1}`);
        } catch (error) {
          throw new DomainError('invalid-import', (error as Error).message);
        }
        for (const mark of marksOf(code)) {
          notBeforeCreation(mark.at, `${inBatch} code ${k + 1} spentAt`);
          notBeforeCreation(mark.undoneAt, `${inBatch} code ${k + 1} undoneAt`);
        }
      });
    });
  });
}

/** A batch from an export as this vault stores it: its id made unique, its logical time reset. */
function foreignBatch(batch: Batch, id: string, supersededAt: string | null): Batch {
  const { seq: _seq, ...rest } = batch;
  return { ...rest, id, supersededAt };
}

/** Merges one incoming account into the vault's account it matched (see `mergeVaults`). */
function mergeAccount(
  ours: Account,
  theirs: Account,
  removedHere: ReadonlySet<string>,
  freshId: (wanted: string) => string,
  now: string,
  options: ImportOptions,
): { account: Account; batchesAdded: number; codesNewlySpent: number; codesIgnored: number; skippedBatches: number; detailChanges: DetailChange[] } {
  const batches = [...ours.batches];
  const byId = new Map(batches.map((batch, index) => [batch.id, index]));
  const bySet = new Map(batches.map((batch, index) => [codeSetKey(batch), index]));
  let batchesAdded = 0;
  let codesNewlySpent = 0;
  let codesIgnored = 0;
  let skippedBatches = 0;
  let changed = false;
  for (const batch of theirs.batches) {
    if (removedHere.has(batch.id)) {
      skippedBatches += 1;
      continue;
    }
    const index = byId.get(batch.id) ?? bySet.get(codeSetKey(batch));
    const match = index === undefined ? undefined : batches[index];
    if (index === undefined || !match) {
      // Never the active batch: an export cannot decide which codes of an existing account work.
      const added = foreignBatch(batch, freshId(batch.id), batch.supersededAt ?? now);
      batches.push(added);
      byId.set(added.id, batches.length - 1);
      bySet.set(codeSetKey(added), batches.length - 1);
      batchesAdded += 1;
      changed = true;
      continue;
    }
    const outcome = spentMarksFrom(match, batch, match.id === activeBatch(ours)?.id);
    codesNewlySpent += outcome.newlySpent;
    codesIgnored += outcome.ignored;
    if (outcome.batch !== match) {
      batches[index] = outcome.batch;
      changed = true;
    }
  }
  const detailChanges: DetailChange[] = [];
  for (const field of ['service', 'username', 'note'] as const) {
    const value = theirs[field];
    if (value !== null && value !== ours[field]) detailChanges.push({ account: ours.name, field, from: ours[field], to: value });
  }
  let account: Account = changed ? { ...ours, batches } : ours;
  if (options.acceptDetails && detailChanges.length > 0) {
    account = { ...account };
    for (const change of detailChanges) account = { ...account, [change.field]: change.to };
  }
  // The account's active batch must be the one it was: a history batch never outranks it.
  const before = activeBatch(ours)?.id;
  if (before !== undefined && activeBatch(account)?.id !== before) {
    throw new DomainError('invalid-import', `the export would change which batch of ${ours.name} is active`);
  }
  return { account, batchesAdded, codesNewlySpent, codesIgnored, skippedBatches, detailChanges };
}

/**
 * What an export may add to a batch the vault holds: spends of the codes it has (an import never
 * unspends), the earliest superseded mark unless the batch is the active one (an export never decides
 * which codes work), and the latest printed and copied marks. Codes it lacks are counted, never added.
 */
function spentMarksFrom(ours: Batch, theirs: Batch, active: boolean): { batch: Batch; newlySpent: number; ignored: number } {
  const theirsByKey = new Map<string, Code>();
  for (const code of theirs.codes) theirsByKey.set(codeKey(code.code), code);
  let newlySpent = 0;
  let matched = 0;
  let changed = false;
  const codes = ours.codes.map((code): Code => {
    const other = theirsByKey.get(codeKey(code.code));
    if (!other) return code;
    matched += 1;
    const marks = new Map(marksOf(code).map((mark) => [mark.id, mark]));
    let moved = false;
    for (const mark of marksOf(other)) {
      const known = marks.get(mark.id);
      if (known) {
        if (Date.parse(mark.at) < Date.parse(known.at)) {
          marks.set(mark.id, { ...known, at: mark.at });
          moved = true;
        }
      } else if (mark.undoneAt === null) {
        marks.set(mark.id, mark);
        moved = true;
      }
    }
    if (!moved) return code;
    const next = withMarks(code, [...marks.values()]);
    if (next.spentAt === code.spentAt && equalMarks(marksOf(next), marksOf(code))) return code;
    changed = true;
    if (code.spentAt === null && next.spentAt !== null) newlySpent += 1;
    return next;
  });
  const supersededAt = active ? ours.supersededAt : earlierOrNull(ours.supersededAt, theirs.supersededAt);
  const printedAt = laterOrNull(ours.printedAt, theirs.printedAt);
  const copiedAt = laterOrNull(ours.copiedAt, theirs.copiedAt);
  if (supersededAt !== ours.supersededAt || printedAt !== ours.printedAt || copiedAt !== ours.copiedAt) changed = true;
  return { batch: changed ? { ...ours, supersededAt, printedAt, copiedAt, codes } : ours, newlySpent, ignored: theirsByKey.size - matched };
}

function equalMarks(a: readonly SpendMark[], b: readonly SpendMark[]): boolean {
  return a.length === b.length && a.every((mark, i) => mark.id === b[i]?.id && mark.at === b[i]?.at && mark.undoneAt === b[i]?.undoneAt);
}

function earlierOrNull(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function laterOrNull(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** A batch's code set as one key: the sorted comparison keys. An empty batch matches nothing. */
function codeSetKey(batch: Batch): string {
  return batch.codes.length === 0 ? `empty:${batch.id}` : batch.codes.map((code) => codeKey(code.code)).sort().join('\n');
}
