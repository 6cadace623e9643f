import type { Account, AccountStamps, Batch, Code, SpendMark, Stamp, VaultContent } from './model.js';

/**
 * Logical time (docs/vault-format.md, "Merging copies"): stamps that order changes made on different
 * devices without trusting any device's clock, and the accessors that read content written before
 * stamps existed as if it had them.
 */

/** The stamp of everything written before stamps existed: before any stamped change. */
export const LEGACY_STAMP: Stamp = Object.freeze({ n: 0, d: '' });

/** The id that a spend recorded only as `spentAt` (content before version 2) is given. */
export const LEGACY_MARK_ID = '0000000000000000';

/** Orders two stamps: by counter, then by device id (code-point order). 0 only for the same stamp. */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.n !== b.n) return a.n < b.n ? -1 : 1;
  if (a.d === b.d) return 0;
  return a.d < b.d ? -1 : 1;
}

/** The later of two stamps. */
export function laterStamp(a: Stamp, b: Stamp): Stamp {
  return compareStamps(a, b) >= 0 ? a : b;
}

/** The largest counter of a version vector (0 for none). */
function largest(clock: Readonly<Record<string, number>> | undefined): number {
  let max = 0;
  for (const value of Object.values(clock ?? {})) if (value > max) max = value;
  return max;
}

/**
 * The stamp of the next change a device saves: one more than any counter the vault has seen, so that a
 * change made after seeing another is always later than it (Lamport's rule).
 */
export function nextStamp(vault: VaultContent, device: string): Stamp {
  return { n: largest(vault.clock) + 1, d: device };
}

/**
 * Records that a device saved a change: its entry of the version vector becomes the counter of
 * `nextStamp`. Called once per save that changed something.
 */
export function tick(vault: VaultContent, device: string): VaultContent {
  return { ...vault, clock: { ...vault.clock, [device]: largest(vault.clock) + 1 } };
}

/** Pointwise maximum of two version vectors, keys in code-point order so that equal clocks encode equally. */
export function mergeClocks(
  a: Readonly<Record<string, number>> | undefined,
  b: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const merged: Record<string, number> = {};
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
  for (const key of keys) merged[key] = Math.max(a?.[key] ?? 0, b?.[key] ?? 0);
  return merged;
}

/**
 * Whether a version vector is behind another: some device's counter is lower in `seen` than in `known`.
 * A copy that is behind lost changes this device already saw (a rollback).
 */
export function behindOf(seen: Readonly<Record<string, number>> | undefined, known: Readonly<Record<string, number>>): string[] {
  return Object.keys(known)
    .filter((device) => (seen?.[device] ?? 0) < (known[device] ?? 0))
    .sort();
}

/** An account's field stamps, legacy ones for content written before stamps existed. */
export function stampsOf(account: Account): AccountStamps {
  return account.stamps ?? { name: LEGACY_STAMP, service: LEGACY_STAMP, username: LEGACY_STAMP, note: LEGACY_STAMP };
}

/** The logical time a batch was added (legacy: before every stamped batch). */
export function seqOf(batch: Batch): Stamp {
  return batch.seq ?? LEGACY_STAMP;
}

/** The spends of a code; a legacy code's `spentAt` stands for one spend with a fixed id. */
export function marksOf(code: Code): readonly SpendMark[] {
  if (code.marks) return code.marks;
  return code.spentAt === null ? [] : [{ id: LEGACY_MARK_ID, at: code.spentAt, undoneAt: null }];
}

/** When a code counts as spent: the earliest spend not undone, or null. */
export function spentAtOf(marks: readonly SpendMark[]): string | null {
  let earliest: string | null = null;
  for (const mark of marks) {
    if (mark.undoneAt !== null) continue;
    if (earliest === null || Date.parse(mark.at) < Date.parse(earliest)) earliest = mark.at;
  }
  return earliest;
}

/**
 * A code with its spends replaced, `spentAt` derived from them. Spends that say no more than `spentAt`
 * (none, or the one legacy spend) are left out, as the file format leaves them out.
 */
export function withMarks(code: Code, marks: readonly SpendMark[]): Code {
  const spentAt = spentAtOf(marks);
  const [only] = marks;
  const implied = marks.length === 0 || (marks.length === 1 && only?.id === LEGACY_MARK_ID && only.undoneAt === null);
  return implied ? { code: code.code, spentAt } : { code: code.code, spentAt, marks };
}

/** The codes of a content that are spent, as `<batch id>:<position>` (names no code). */
export function spentKeys(content: VaultContent): string[] {
  const keys: string[] = [];
  for (const account of content.accounts) {
    for (const batch of account.batches) batch.codes.forEach((code, i) => code.spentAt !== null && keys.push(`${batch.id}:${i}`));
  }
  return keys;
}
