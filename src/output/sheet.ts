import type { Account } from '../domain/index.js';
import { renderHtmlSheet } from './sheet-html.js';
import { sheetPages } from './sheet-pages.js';
import { renderTextSheet } from './sheet-text.js';

/**
 * The paper sheet: the backup codes of one or more accounts, to print and keep in a drawer.
 *
 * Each printed batch gets a page with the account's name, service and username, the batch's fingerprint
 * (`batchFingerprint`, to match the paper to the vault) and the day it was added, every code with a tick
 * box (spent ones struck out), the print date, and what to do with the sheet. The account's active batch
 * is printed; its superseded batches only when asked for, each under a SUPERSEDED banner.
 */

/** `text` for `lp` (80 columns, form feeds between pages) or `html` for a browser's print dialog. */
export type SheetFormat = 'text' | 'html';

/** How to render a sheet. */
export interface SheetOptions {
  readonly format: SheetFormat;
  /** When the sheet is printed, as an ISO 8601 string in UTC. */
  readonly printedAt: string;
  /** Also print each account's superseded batches, marked as such. */
  readonly includeSuperseded: boolean;
}

/**
 * Renders the sheet of these accounts, one page per printed batch in the order given. An account
 * with nothing to print is left out; throws when none of them has anything to print (check with
 * `activeBatch` first to word that for the user).
 */
export function renderSheet(accounts: readonly Account[], options: SheetOptions): string {
  const pages = sheetPages(accounts, options.printedAt, options.includeSuperseded);
  return options.format === 'html' ? renderHtmlSheet(pages) : renderTextSheet(pages);
}
