import { batchesForDisplay, isActive, supersededSince, type VaultContent } from '../domain/index.js';

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
 * A cell of text the user typed (a name, a username, a note). A spreadsheet runs a cell that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so such a cell gets a leading `'` (OWASP,
 * "CSV injection"). Codes are never altered.
 */
function userField(value: string | null): string {
  const text = value ?? '';
  return csvField(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

/**
 * The CSV export: a header, then one row per code (an account without codes gets one row with empty code
 * cells), lines ended by CRLF as RFC 4180 asks. For leaving lifeboat: `import` does not read it back.
 */
export function contentToCsv(content: VaultContent): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const account of content.accounts) {
    const who = [userField(account.name), userField(account.service), userField(account.username), userField(account.note)];
    const batches = batchesForDisplay(account);
    if (batches.length === 0) rows.push([...who, '', '', '', '', '', '', '', ''].join(','));
    for (const batch of batches) {
      const about = [
        csvField(batch.id),
        csvField(batch.addedAt),
        isActive(account, batch) ? 'active' : 'superseded',
        csvField(supersededSince(account, batch) ?? ''),
      ];
      batch.codes.forEach((code, index) => {
        rows.push([...who, ...about, String(index + 1), csvField(code.code), code.spentAt ? 'spent' : 'unspent', csvField(code.spentAt ?? '')].join(','));
      });
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
