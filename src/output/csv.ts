import { batchesForDisplay, isActive, supersededSince, type VaultContent } from '../domain/index.js';
import { terminalText } from './sanitize.js';

/**
 * The plain-text CSV export (`lifeboat export --plaintext --format csv`): for leaving lifeboat, one row
 * per code. `import` does not read it back.
 */

/** The columns of the CSV export, one row per code. */
const CSV_COLUMNS = [
  'account',
  'service',
  'username',
  'note',
  'batch',
  'batch_added',
  'batch_state',
  'superseded_at',
  'position',
  'code',
  'state',
  'spent_at',
] as const;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A cell of data from the vault: every one, since a crafted export can put anything in a code or a batch
 * id as well as in a name (issue 11, finding 7). A spreadsheet runs a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return as a formula, so such a cell gets a leading `'` (OWASP, "CSV
 * Injection"); control and format characters are made visible by the one sanitizer, since this text may
 * go to a terminal too. A real code or date never starts with those characters, so none is altered.
 */
function dataField(value: string | null): string {
  const text = terminalText(value ?? '');
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

/**
 * The CSV export: a header, then one row per code (an account without codes gets one row with empty code
 * cells), lines ended by CRLF as RFC 4180 asks. For leaving lifeboat: `import` does not read it back.
 */
export function contentToCsv(content: VaultContent): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const account of content.accounts) {
    const who = [dataField(account.name), dataField(account.service), dataField(account.username), dataField(account.note)];
    const batches = batchesForDisplay(account);
    if (batches.length === 0) rows.push([...who, '', '', '', '', '', '', '', ''].join(','));
    for (const batch of batches) {
      const about = [
        dataField(batch.id),
        dataField(batch.addedAt),
        isActive(account, batch) ? 'active' : 'superseded',
        dataField(supersededSince(account, batch)),
      ];
      batch.codes.forEach((code, index) => {
        rows.push([...who, ...about, String(index + 1), dataField(code.code), code.spentAt ? 'spent' : 'unspent', dataField(code.spentAt)].join(','));
      });
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
