import { activeBatch } from './accounts.js';
import { codeKey, codeKeysOf } from './code-text.js';
import type { Account, Batch, Code, VaultContent } from './model.js';
import { LEGACY_MARK_ID, marksOf, withMarks } from './stamps.js';

/**
 * One code is one code, whatever account it was stored under (issue 10, "Duplicates across accounts").
 * The same batch added to two accounts is almost always a mistake, so `add` asks first; if it happened
 * anyway, a code spent under one account is spent under the other too, so `use` never hands it out
 * again and `check` never calls it unspent.
 */

/** Another account that already holds some of the codes being added. */
export interface Holder {
  /** The other account's name. */
  readonly account: string;
  /** How many of the incoming codes it holds. */
  readonly codes: number;
  /** Whether any of them is in its active batch (else only in superseded ones). */
  readonly active: boolean;
}

/**
 * The accounts other than `accountName` (compared as names are, case-insensitively) that hold any of
 * `codes`, compared by code key; sorted by the number of codes held, most first, then by name.
 */
export function holdersOf(vault: VaultContent, accountName: string, codes: readonly string[]): Holder[] {
  const wanted = new Set(codes.map((code) => codeKey(code)));
  const target = accountName.normalize('NFC').toLowerCase();
  const holders: Holder[] = [];
  for (const account of vault.accounts) {
    if (account.name.toLowerCase() === target) continue;
    const active = activeBatch(account);
    const found = new Set<string>();
    let inActive = false;
    for (const batch of account.batches) {
      for (const key of codeKeysOf(batch)) {
        if (!wanted.has(key)) continue;
        found.add(key);
        if (batch.id === active?.id) inActive = true;
      }
    }
    if (found.size > 0) holders.push({ account: account.name, codes: found.size, active: inActive });
  }
  return holders.sort((a, b) => b.codes - a.codes || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}

/**
 * The vault with every copy of a spent code marked spent too, at the time of its earliest spending.
 * Copies inside one account are left alone (the model already keeps a batch free of duplicates); the
 * content is returned unchanged (the same object) when no copy needs a mark.
 *
 * With `only`, just the codes whose keys it holds are settled (`use` settles the codes of the account it
 * hands a code from, not the whole vault): the same result for those codes, without a map of every spent code.
 */
export function settleSpentDuplicates(vault: VaultContent, only?: ReadonlySet<string>): VaultContent {
  const spent = new Map<string, { at: string; account: string; mark: string }>();
  // With `only`, the batches that hold any of its codes: the only ones the second pass needs to visit.
  const holding = new Set<Batch>();
  for (const account of vault.accounts) {
    for (const batch of account.batches) {
      const keys = codeKeysOf(batch);
      for (let k = 0; k < keys.length; k += 1) {
        const key = keys[k]!;
        if (only) {
          if (!only.has(key)) continue;
          holding.add(batch);
        }
        const code = batch.codes[k]!;
        if (code.spentAt === null) continue;
        const known = spent.get(key);
        if (!known || code.spentAt < known.at) spent.set(key, { at: code.spentAt, account: account.id, mark: standingMark(code) });
      }
    }
  }
  if (spent.size === 0) return vault;
  /** The batch with each unspent copy of a code spent under another account marked spent; the same batch if none. */
  const settleBatch = (account: Account, batch: Batch): Batch => {
    if (only && !holding.has(batch)) return batch;
    const keys = codeKeysOf(batch);
    let codes: Code[] | undefined;
    for (let k = 0; k < keys.length; k += 1) {
      const code = batch.codes[k]!;
      if (code.spentAt !== null) continue;
      const known = spent.get(keys[k]!);
      if (!known || known.account === account.id) continue;
      // An unspend of this very spend on this copy stands: the copy is left as the user set it.
      if (marksOf(code).some((mark) => mark.id === known.mark)) continue;
      // The copy gets the same spend (the same id and time), so two devices that settle it agree.
      codes ??= [...batch.codes];
      codes[k] = withMarks(code, [...marksOf(code), { id: known.mark, at: known.at, undoneAt: null }]);
    }
    return codes ? { ...batch, codes } : batch;
  };
  let accounts: Account[] | undefined;
  vault.accounts.forEach((account, i) => {
    let batches: Batch[] | undefined;
    account.batches.forEach((batch, j) => {
      const settled = settleBatch(account, batch);
      if (settled === batch) return;
      batches ??= [...account.batches];
      batches[j] = settled;
    });
    if (!batches) return;
    accounts ??= [...vault.accounts];
    accounts[i] = { ...account, batches };
  });
  return accounts ? { ...vault, accounts } : vault;
}

/** The id of the spend that made a spent code spent (the legacy id when its `spentAt` says it alone). */
function standingMark(code: Code): string {
  if (code.marks === undefined) return LEGACY_MARK_ID;
  return code.marks.find((mark) => mark.undoneAt === null && mark.at === code.spentAt)?.id ?? LEGACY_MARK_ID;
}
