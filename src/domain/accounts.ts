import { DomainError } from './errors.js';
import type { Account, Batch, VaultContent } from './model.js';
import { compareStamps, seqOf } from './stamps.js';

/**
 * The order accounts are listed in: case-insensitive, by code point. Deterministic on every system, and
 * free of ICU's collator, which costs a start-up of its own.
 */
export function compareNames(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order in which batches were added: by their logical time (`seq`), then, for batches written before
 * logical times existed, by `addedAt`, then by id. It never depends on the clock of the device that
 * reads it, so every device agrees on it (docs/vault-format.md, rule M4).
 */
export function compareBatches(a: Batch, b: Batch): number {
  const bySeq = compareStamps(seqOf(a), seqOf(b));
  if (bySeq !== 0) return bySeq;
  const [x, y] = [Date.parse(a.addedAt), Date.parse(b.addedAt)];
  if (x !== y) return x < y ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

/** Batches newest first. */
function newestFirst(a: Batch, b: Batch): number {
  return compareBatches(b, a);
}

/**
 * The key under which account names are compared, everywhere: NFC, lower case, NFC again (lower-casing
 * can undo a composition). Two names with the same key are the same name.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase().normalize('NFC');
}

/** The same name, compared as the vault compares names. */
function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

/**
 * Checks a name given for a new or renamed account. Names are what the user types at the prompt on the
 * worst day, so they are kept short, printable and free of leading or trailing space.
 */
export function validateAccountName(name: string): string {
  const trimmed = name.normalize('NFC');
  if (trimmed.length === 0 || trimmed.trim() !== trimmed) {
    throw new DomainError('invalid-name', 'an account name must not be empty or start or end with a space');
  }
  if (trimmed.length > 100) {
    throw new DomainError('invalid-name', 'an account name must be at most 100 characters long');
  }
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}]/u.test(trimmed)) {
    throw new DomainError('invalid-name', 'an account name must not contain control, format or invisible characters');
  }
  if (/[^\S ]/u.test(trimmed)) {
    throw new DomainError('invalid-name', 'an account name may contain plain spaces only');
  }
  return trimmed;
}

/** The account with exactly this name (case-insensitively), if any. */
export function findAccountExact(vault: VaultContent, name: string): Account | undefined {
  return vault.accounts.find((account) => sameName(account.name, name));
}

/**
 * The accounts a query on an existing account could mean: the exact (case-insensitive) name if there
 * is one, else every account whose name starts with the query. Sorted by name.
 */
export function matchAccounts(vault: VaultContent, query: string): Account[] {
  const exact = findAccountExact(vault, query);
  if (exact) return [exact];
  const prefix = nameKey(query);
  return vault.accounts
    .filter((account) => nameKey(account.name).startsWith(prefix))
    .sort((a, b) => compareNames(a.name, b.name));
}

/**
 * Resolves a query to one account: its exact name or a unique case-insensitive prefix.
 * Throws `no-such-account` or `ambiguous-account` (with the candidates' names).
 */
export function resolveAccount(vault: VaultContent, query: string): Account {
  const matches = query.trim() === '' ? [] : matchAccounts(vault, query);
  const [only, ...others] = matches;
  if (!only) {
    throw new DomainError('no-such-account', `no account named "${query}"`, {
      hint: 'run `lifeboat list` to see your accounts',
    });
  }
  if (others.length > 0) {
    const names = matches.map((account) => account.name);
    throw new DomainError('ambiguous-account', `"${query}" matches ${names.length} accounts: ${names.join(', ')}`, {
      candidates: names,
      hint: 'type more of the name',
    });
  }
  return only;
}

/**
 * The active batch of an account: the latest-added batch (in the order of `compareBatches`) not marked
 * superseded, so that two merged copies of a vault agree on it. Undefined when the account has none.
 */
export function activeBatch(account: Account): Batch | undefined {
  let best: Batch | undefined;
  for (const batch of account.batches) {
    if (batch.supersededAt !== null) continue;
    if (!best || compareBatches(batch, best) > 0) best = batch;
  }
  return best;
}

/** Whether the service still accepts this batch's codes. */
export function isActive(account: Account, batch: Batch): boolean {
  return activeBatch(account)?.id === batch.id;
}

/**
 * When a batch stopped being accepted: its superseded mark, or, for a batch that lost the "latest added"
 * rule without a mark (two merged copies), when the next batch was added. Null for the active batch.
 */
export function supersededSince(account: Account, batch: Batch): string | null {
  if (isActive(account, batch)) return null;
  if (batch.supersededAt) return batch.supersededAt;
  let next: Batch | undefined;
  for (const other of account.batches) {
    if (compareBatches(other, batch) > 0 && (!next || compareBatches(other, next) < 0)) next = other;
  }
  return next?.addedAt ?? null;
}

/** The batches of an account for display: the active one first, then the others newest first. */
export function batchesForDisplay(account: Account): Batch[] {
  const active = activeBatch(account);
  const others = account.batches
    .filter((batch) => batch.id !== active?.id)
    .sort(newestFirst);
  return active ? [active, ...others] : others;
}

/** How many codes of a batch are still unspent. */
export function remainingCodes(batch: Batch): number {
  return batch.codes.filter((code) => code.spentAt === null).length;
}

/** The vault with one account replaced by its new version (matched by id). */
export function replaceAccount(vault: VaultContent, updated: Account): VaultContent {
  return { ...vault, accounts: vault.accounts.map((account) => (account.id === updated.id ? updated : account)) };
}

/** The account with one batch replaced by its new version (matched by id). */
export function replaceBatch(account: Account, updated: Batch): Account {
  return { ...account, batches: account.batches.map((batch) => (batch.id === updated.id ? updated : batch)) };
}

/**
 * A short fingerprint of a batch, printed on the paper sheet and by `lifeboat show`, so that a sheet in
 * a drawer can be matched to the batch in the vault. It is derived from the batch's random id, so it says
 * nothing about the codes.
 */
export function batchFingerprint(batch: Batch): string {
  const hex = batch.id.replace(/[^0-9a-f]/gi, '').toLowerCase().padEnd(8, '0');
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}
