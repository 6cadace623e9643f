import { compareBatches, nameKey } from './accounts.js';
import { codeKey } from './code-text.js';
import type { Account, AccountStamps, Batch, Code, SpendMark, Stamp, Tombstone, VaultContent } from './model.js';
import { compareStamps, laterStamp, marksOf, mergeClocks, seqOf, stampsOf, withMarks } from './stamps.js';
import { resolveNameClashes } from './validate.js';

/**
 * Merging two copies of the same vault (a conflict copy, the other side of a git merge, `lifeboat merge`).
 * Unlike an import, this is a trusted operation that applies removals and renames both ways. The rules
 * are docs/vault-format.md, "Merging copies" (M1 to M7); each function below names the rule it follows.
 *
 * The merged content is a function of the set of changes both copies have seen, never of which copy is
 * "ours": merging is commutative, associative and idempotent, so devices that have seen the same changes
 * hold the same content, whatever order the copies met in. Every step is a single pass over maps keyed
 * by id, so the cost is linear in the size of the two copies.
 */

/** What merging a copy into this vault changed, worded by the command line. Names as they stand after the merge. */
export interface SyncReport {
  /** Accounts this copy did not have. */
  readonly accountsAdded: readonly string[];
  /** Accounts removed on the other side and now removed here. */
  readonly accountsRemoved: readonly string[];
  /** Accounts removed on one side that came back because the other side added batches the removal never saw. */
  readonly accountsRevived: readonly string[];
  /** Accounts whose name changed in the merge. */
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  /** Accounts whose service, username or note changed in the merge. */
  readonly detailsChanged: readonly string[];
  /** Batches this copy did not have. */
  readonly batchesAdded: number;
  /** Codes unspent here and spent after the merge. */
  readonly codesSpent: number;
  /** Codes spent here and unspent after the merge (an `unspend` on the other side). */
  readonly codesUnspent: number;
  /** Two accounts that ended up with one name: the later one was renamed, and the user should look. */
  readonly nameClashes: readonly { readonly name: string; readonly renamedTo: string }[];
  /** Whether the merged content differs from `ours` at all. */
  readonly changed: boolean;
}

/**
 * Merges two copies of one vault. Deterministic, commutative, associative and idempotent in its content;
 * the report is relative to `ours`.
 */
export function mergeCopies(ours: VaultContent, theirs: VaultContent): { content: VaultContent; report: SyncReport } {
  const tombstones = mergeTombstones(ours.tombstones, theirs.tombstones);
  const removed = new Map(tombstones.map((tombstone) => [tombstone.id, tombstone]));

  const byId = new Map<string, Account>();
  for (const account of [...ours.accounts, ...theirs.accounts]) {
    const seen = byId.get(account.id);
    byId.set(account.id, seen ? mergeAccount(seen, account) : account);
  }

  // M6: a batch id belongs to one account; a file that says otherwise keeps it where the smaller id is.
  const batchOwner = new Set<string>();
  const accounts: Account[] = [];
  for (const id of [...byId.keys()].sort()) {
    const account = byId.get(id);
    if (!account) continue;
    const tombstone = removed.get(id);
    // M5: a removal takes the batches it saw; batches it never saw survive, and with them the account.
    const batches = account.batches.filter((batch) => !batchOwner.has(batch.id) && !(tombstone && covers(tombstone, batch.id)));
    for (const batch of batches) batchOwner.add(batch.id);
    if (batches.length === 0) continue;
    accounts.push(batches.length === account.batches.length ? account : { ...account, batches });
  }

  const clashes = resolveNameClashes(accounts);
  const content: VaultContent = { accounts: clashes.accounts, tombstones, clock: mergeClocks(ours.clock, theirs.clock) };
  return { content, report: describe(ours, content, removed, clashes.renamed) };
}

/** M5: tombstones by id; the earliest removal time; the batches either removal saw (absent: all of them). */
function mergeTombstones(a: readonly Tombstone[], b: readonly Tombstone[]): Tombstone[] {
  const byId = new Map<string, Tombstone>();
  for (const tombstone of [...a, ...b]) {
    const seen = byId.get(tombstone.id);
    if (!seen) {
      byId.set(tombstone.id, tombstone.batches ? { ...tombstone, batches: [...new Set(tombstone.batches)].sort() } : tombstone);
      continue;
    }
    const removedAt = earlier(seen.removedAt, tombstone.removedAt);
    byId.set(
      tombstone.id,
      seen.batches && tombstone.batches
        ? { id: tombstone.id, removedAt, batches: [...new Set([...seen.batches, ...tombstone.batches])].sort() }
        : { id: tombstone.id, removedAt },
    );
  }
  return [...byId.keys()].sort().map((id) => byId.get(id) as Tombstone);
}

function covers(tombstone: Tombstone, batchId: string): boolean {
  return tombstone.batches === undefined || tombstone.batches.includes(batchId);
}

/** M2: each changeable field is the value of its latest stamp; equal stamps keep the greater value. */
function mergeAccount(a: Account, b: Account): Account {
  const [sa, sb] = [stampsOf(a), stampsOf(b)];
  const pick = <K extends keyof AccountStamps>(field: K): { value: Account[K]; stamp: Stamp } => {
    const order = compareStamps(sa[field], sb[field]);
    if (order > 0) return { value: a[field], stamp: sa[field] };
    if (order < 0) return { value: b[field], stamp: sb[field] };
    return { value: greaterValue(a[field] as string | null, b[field] as string | null) as Account[K], stamp: sa[field] };
  };
  const name = pick('name');
  const service = pick('service');
  const username = pick('username');
  const note = pick('note');
  const batches = new Map<string, Batch>();
  for (const batch of [...a.batches, ...b.batches]) {
    const seen = batches.get(batch.id);
    batches.set(batch.id, seen ? mergeBatch(seen, batch) : batch);
  }
  return {
    id: a.id,
    name: name.value,
    service: service.value,
    username: username.value,
    note: note.value,
    createdAt: earlier(a.createdAt, b.createdAt),
    batches: [...batches.values()].sort(compareBatches),
    stamps: { name: name.stamp, service: service.stamp, username: username.stamp, note: note.stamp },
  };
}

/**
 * M1, M3, M4: two copies of one batch. Superseded is the earliest mark, printed and copied the latest,
 * and each code keeps every spend either copy saw (an undone spend stays undone).
 */
function mergeBatch(a: Batch, b: Batch): Batch {
  const codes = sameCodes(a, b) ? a.codes.map((code, i) => mergeCode(code, b.codes[i] ?? code)) : mergeDifferentCodes(a, b);
  const seq = laterStamp(seqOf(a), seqOf(b));
  return {
    id: a.id,
    addedAt: earlier(a.addedAt, b.addedAt),
    source: greaterValue(a.source, b.source),
    supersededAt: earlierOrNull(a.supersededAt, b.supersededAt),
    printedAt: laterOrNull(a.printedAt, b.printedAt),
    copiedAt: laterOrNull(a.copiedAt, b.copiedAt),
    codes,
    seq,
  };
}

function sameCodes(a: Batch, b: Batch): boolean {
  return a.codes.length === b.codes.length && a.codes.every((code, i) => code.code === b.codes[i]?.code);
}

/**
 * Codes never change once a batch is stored, so two copies of a batch with different codes come from a
 * hand-edited file. The copy with more codes (then the smaller code list) gives the list; spends of codes
 * both hold are merged.
 */
function mergeDifferentCodes(a: Batch, b: Batch): Code[] {
  const listA = a.codes.map((code) => code.code).join('\n');
  const listB = b.codes.map((code) => code.code).join('\n');
  const [base, other] = a.codes.length > b.codes.length || (a.codes.length === b.codes.length && listA < listB) ? [a, b] : [b, a];
  const others = new Map(other.codes.map((code) => [codeKey(code.code), code]));
  return base.codes.map((code) => {
    const match = others.get(codeKey(code.code));
    return match ? mergeCode(code, match) : mergeCode(code, code);
  });
}

/** M3: spends by id; a spend is undone once either copy undid it. */
function mergeCode(a: Code, b: Code): Code {
  const marks = new Map<string, SpendMark>();
  for (const mark of [...marksOf(a), ...marksOf(b)]) {
    const seen = marks.get(mark.id);
    marks.set(
      mark.id,
      seen ? { id: mark.id, at: earlier(seen.at, mark.at), undoneAt: earlierOrNull(seen.undoneAt, mark.undoneAt) } : mark,
    );
  }
  return withMarks(a, [...marks.keys()].sort().map((id) => marks.get(id) as SpendMark));
}

/** What the merge changed, seen from `ours`. */
function describe(
  ours: VaultContent,
  merged: VaultContent,
  removed: ReadonlyMap<string, Tombstone>,
  clashes: readonly { readonly id: string; readonly name: string; readonly renamedTo: string }[],
): SyncReport {
  const before = new Map(ours.accounts.map((account) => [account.id, account]));
  const after = new Map(merged.accounts.map((account) => [account.id, account]));
  const accountsAdded: string[] = [];
  const accountsRevived: string[] = [];
  const renamed: { from: string; to: string }[] = [];
  const detailsChanged: string[] = [];
  let batchesAdded = 0;
  let codesSpent = 0;
  let codesUnspent = 0;
  for (const account of merged.accounts) {
    const old = before.get(account.id);
    if (!old) {
      // M5: an account removed on one side lives on only through batches the removal never saw.
      if (removed.has(account.id)) accountsRevived.push(account.name);
      else accountsAdded.push(account.name);
      batchesAdded += account.batches.length;
      continue;
    }
    if (old.name !== account.name) renamed.push({ from: old.name, to: account.name });
    if (old.service !== account.service || old.username !== account.username || old.note !== account.note) detailsChanged.push(account.name);
    const oldBatches = new Map(old.batches.map((batch) => [batch.id, batch]));
    for (const batch of account.batches) {
      const oldBatch = oldBatches.get(batch.id);
      if (!oldBatch) {
        batchesAdded += 1;
        continue;
      }
      const oldCodes = new Map(oldBatch.codes.map((code) => [codeKey(code.code), code]));
      for (const code of batch.codes) {
        const was = oldCodes.get(codeKey(code.code));
        if (!was) continue;
        if (was.spentAt === null && code.spentAt !== null) codesSpent += 1;
        if (was.spentAt !== null && code.spentAt === null) codesUnspent += 1;
      }
    }
  }
  const accountsRemoved = ours.accounts.filter((account) => !after.has(account.id)).map((account) => account.name);
  const nameClashes = clashes.map((clash) => ({ name: clash.name, renamedTo: clash.renamedTo }));
  const changed = !equalContent(ours, merged);
  return { accountsAdded, accountsRemoved, accountsRevived, renamed, detailsChanged, batchesAdded, codesSpent, codesUnspent, nameClashes, changed };
}

/** Whether two contents hold the same facts (their canonical JSON is equal). */
function equalContent(a: VaultContent, b: VaultContent): boolean {
  return JSON.stringify(normalForm(a)) === JSON.stringify(normalForm(b));
}

/** The content with every legacy field spelled out and lists in a fixed order, for comparison. */
export function normalForm(content: VaultContent): unknown {
  return {
    clock: Object.fromEntries(Object.entries(content.clock ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))),
    accounts: [...content.accounts]
      .sort((x, y) => (x.id < y.id ? -1 : 1))
      .map((account) => ({
        ...account,
        stamps: stampsOf(account),
        batches: [...account.batches].sort(compareBatches).map((batch) => ({
          ...batch,
          seq: seqOf(batch),
          codes: batch.codes.map((code) => ({ code: code.code, spentAt: code.spentAt, marks: [...marksOf(code)].sort((x, y) => (x.id < y.id ? -1 : 1)) })),
        })),
      })),
    tombstones: [...content.tombstones].sort((x, y) => (x.id < y.id ? -1 : 1)).map((t) => ({ id: t.id, removedAt: t.removedAt, batches: t.batches ?? null })),
  };
}

/** Of two values of a field, the greater: null below any text, texts by code point. */
function greaterValue<T extends string | null>(a: T, b: T): T {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

function earlier(a: string, b: string): string {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  if (x !== y) return x < y ? a : b;
  return a <= b ? a : b;
}

function earlierOrNull(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return earlier(a, b);
}

function laterOrNull(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return earlier(a, b) === a ? b : a;
}

/** Whether a name is held by a live account of the content (for wording). */
export function holdsName(content: VaultContent, name: string): boolean {
  return content.accounts.some((account) => nameKey(account.name) === nameKey(name));
}
