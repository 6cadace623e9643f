import { activeBatch } from './accounts.js';
import { codeKey } from './code-text.js';
import type { Account, Batch, VaultContent } from './model.js';
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
      for (const code of batch.codes) {
        const key = codeKey(code.code);
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
 */
export function settleSpentDuplicates(vault: VaultContent): VaultContent {
  const spent = new Map<string, { at: string; account: string; mark: string }>();
  for (const account of vault.accounts) {
    for (const batch of account.batches) {
      for (const code of batch.codes) {
        if (code.spentAt === null) continue;
        const key = codeKey(code.code);
        const known = spent.get(key);
        if (!known || code.spentAt < known.at) spent.set(key, { at: code.spentAt, account: account.id, mark: marksOf(code).find((mark) => mark.undoneAt === null && mark.at === code.spentAt)?.id ?? LEGACY_MARK_ID });
      }
    }
  }
  if (spent.size === 0) return vault;
  let changed = false;
  const settleBatch = (account: Account, batch: Batch): Batch => {
    let touched = false;
    const codes = batch.codes.map((code) => {
      if (code.spentAt !== null) return code;
      const known = spent.get(codeKey(code.code));
      if (!known || known.account === account.id) return code;
      // An unspend of this very spend on this copy stands: the copy is left as the user set it.
      if (marksOf(code).some((mark) => mark.id === known.mark)) return code;
      touched = true;
      // The copy gets the same spend (the same id and time), so two devices that settle it agree.
      return withMarks(code, [...marksOf(code), { id: known.mark, at: known.at, undoneAt: null }]);
    });
    if (!touched) return batch;
    changed = true;
    return { ...batch, codes };
  };
  const accounts = vault.accounts.map((account) => {
    const batches = account.batches.map((batch) => settleBatch(account, batch));
    return batches.every((batch, i) => batch === account.batches[i]) ? account : { ...account, batches };
  });
  return changed ? { ...vault, accounts } : vault;
}
