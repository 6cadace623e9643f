import { activeBatch, batchFingerprint, day, when } from '../domain/index.js';
import type { Account, Batch } from '../domain/index.js';

/**
 * What goes on the pages of a paper sheet, worked out once for both the text and the HTML renderer:
 * one page per batch printed, the account's active batch first and, when asked for, its other batches
 * after it, newest first, each marked superseded.
 */

/** One code as printed, with its number on the sheet. */
export interface SheetCode {
  /** 1-based, in the order the service listed the codes. */
  readonly number: number;
  readonly code: string;
  readonly spent: boolean;
}

/** One printed page: one batch of one account. */
export interface SheetPage {
  readonly accountName: string;
  readonly service: string | null;
  readonly username: string | null;
  /** The short fingerprint that matches the sheet to the batch in the vault (`batchFingerprint`). */
  readonly fingerprint: string;
  /** The day the batch was added, `YYYY-MM-DD`. */
  readonly addedOn: string;
  /** The day the sheet is printed, `YYYY-MM-DD`. */
  readonly printedOn: string;
  /** When the sheet is printed, `YYYY-MM-DD HH:MM UTC`. */
  readonly printedAt: string;
  /** Whether the service no longer accepts this batch's codes. */
  readonly superseded: boolean;
  /** The day the batch was marked superseded, when it was. */
  readonly supersededOn: string | null;
  readonly codes: readonly SheetCode[];
  /** The unspent codes, in order. */
  readonly unspent: readonly string[];
}

/**
 * The pages for these accounts, in their order. An account with nothing to print (no active batch, and
 * superseded batches not asked for) gets no page. Throws when no account has anything to print, since an
 * empty sheet is never what the caller meant.
 */
export function sheetPages(
  accounts: readonly Account[],
  printedAt: string,
  includeSuperseded: boolean,
): SheetPage[] {
  const pages: SheetPage[] = [];
  for (const account of accounts) {
    const active = activeBatch(account);
    if (active) pages.push(page(account, active, false, printedAt));
    if (!includeSuperseded) continue;
    const others = account.batches
      .filter((batch) => batch.id !== active?.id)
      .sort(newestFirst);
    for (const batch of others) pages.push(page(account, batch, true, printedAt));
  }
  if (pages.length === 0) {
    throw new Error(
      includeSuperseded ? 'nothing to print: the accounts have no codes' : 'nothing to print: the accounts have no active codes',
    );
  }
  return pages;
}

/** Newest first, ties broken by the larger id as `activeBatch` does; plain comparison, not the locale's. */
function newestFirst(a: Batch, b: Batch): number {
  const [keyA, keyB] = [`${a.addedAt} ${a.id}`, `${b.addedAt} ${b.id}`];
  return keyA === keyB ? 0 : keyA < keyB ? 1 : -1;
}

function page(account: Account, batch: Batch, superseded: boolean, printedAt: string): SheetPage {
  const codes = batch.codes.map((code, index) => ({ number: index + 1, code: code.code, spent: code.spentAt !== null }));
  const unspent = codes.filter((code) => !code.spent).map((code) => code.code);
  return {
    accountName: account.name,
    service: account.service,
    username: account.username,
    fingerprint: batchFingerprint(batch),
    addedOn: day(batch.addedAt),
    printedOn: day(printedAt),
    printedAt: when(printedAt),
    superseded,
    supersededOn: batch.supersededAt === null ? null : day(batch.supersededAt),
    codes,
    unspent,
  };
}
