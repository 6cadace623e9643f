import fs from 'node:fs';
import { replaceFile } from './atomic-file.js';

/**
 * When the last encrypted export of a vault was written, kept in a small file beside the vault
 * (`<vault>.exported`, mode 600, one ISO 8601 time and a line break) rather than in the encrypted content,
 * so that `status` and `remove` can tell whether an export exists. It holds no secret: only a time.
 */

/** Where the time of a vault's last encrypted export is kept. */
export function exportMarkPath(vaultFile: string): string {
  return `${vaultFile}.exported`;
}

/** Records that an encrypted export of the vault was written at `now` (an ISO time). */
export function recordExport(vaultFile: string, now: string): void {
  replaceFile(exportMarkPath(vaultFile), new TextEncoder().encode(`${now}\n`));
}

/** The time of the vault's last encrypted export, or null when none was recorded (or the mark is unreadable). */
export function lastExport(vaultFile: string): string | null {
  try {
    const text = fs.readFileSync(exportMarkPath(vaultFile), 'utf8').trim();
    return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(text) ? text : null;
  } catch {
    return null;
  }
}
