import type { SyncReport } from '../domain/index.js';

/**
 * Words for what merging another copy of the vault brought in (`lifeboat merge`, conflict copies,
 * the git merge driver). One line, or "nothing new".
 */

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function named(n: number, one: string, many: string, what: string, names: readonly string[]): string {
  return `${count(n, one, many)} ${what} (${names.join(', ')})`;
}

/** The parts of a report that are not empty, each a short phrase; empty when nothing changed. */
export function syncReportParts(report: SyncReport): string[] {
  const parts: string[] = [];
  if (report.accountsAdded.length > 0) parts.push(named(report.accountsAdded.length, 'account', 'accounts', 'added', report.accountsAdded));
  if (report.batchesAdded > 0) parts.push(`${count(report.batchesAdded, 'batch', 'batches')} added`);
  if (report.codesSpent > 0) parts.push(`${count(report.codesSpent, 'code', 'codes')} marked spent`);
  if (report.codesUnspent > 0) parts.push(`${count(report.codesUnspent, 'code', 'codes')} marked unspent`);
  if (report.accountsRemoved.length > 0) parts.push(named(report.accountsRemoved.length, 'account', 'accounts', 'removed', report.accountsRemoved));
  if (report.renamed.length > 0) parts.push(`renamed ${report.renamed.map((r) => `${r.from} to ${r.to}`).join(', ')}`);
  if (report.detailsChanged.length > 0) parts.push(`details changed for ${report.detailsChanged.join(', ')}`);
  if (report.accountsRevived.length > 0) {
    parts.push(named(report.accountsRevived.length, 'account', 'accounts', 'kept although removed on one side, because the other side added codes to it', report.accountsRevived));
  }
  return parts;
}

/** One line: what came in, or that nothing did. */
export function describeSyncReport(report: SyncReport): string {
  const parts = syncReportParts(report);
  return parts.length > 0 ? parts.join(', ') : 'nothing new';
}

/** The name clashes of a report, each a line asking the user to look. */
export function describeNameClashes(report: SyncReport): string[] {
  return report.nameClashes.map(
    (clash) => `two accounts were named ${clash.name} on the two sides: one is now ${clash.renamedTo}; check them with \`lifeboat show ${clash.renamedTo}\``,
  );
}
