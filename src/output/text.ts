import {
  activeBatch,
  batchFingerprint,
  batchSupply,
  batchesForDisplay,
  compareNames,
  supersededSince,
  day,
  remainingCodes,
  when,
  type Account,
  type Batch,
  type CheckResult,
  type VaultContent,
} from '../domain/index.js';
import { padColumns, textColumns } from './columns.js';
import { terminalJson, terminalText as safe } from './sanitize.js';

/**
 * Terminal text for `list`, `show` and `check`, and the JSON those commands print with `--json`.
 * Pure functions: the command line writes what they return.
 */

/** One row of `lifeboat list --json`. */
export interface ListEntry {
  readonly name: string;
  readonly service: string | null;
  readonly username: string | null;
  readonly remaining: number;
  readonly total: number;
  readonly batchDate: string | null;
  readonly fingerprint: string | null;
  readonly warning: 'few left' | 'none left' | 'no active batch' | null;
}

/** The accounts as `list` reports them, sorted by name. */
export function listEntries(vault: VaultContent): ListEntry[] {
  return [...vault.accounts]
    .sort((a, b) => compareNames(a.name, b.name))
    .map((account) => {
      const batch = activeBatch(account);
      const remaining = batch ? remainingCodes(batch) : 0;
      // A batch is low by its own size (src/domain/attention.ts), not by a fixed count.
      const supply = batch ? batchSupply(batch) : undefined;
      const warning = !batch ? 'no active batch' : supply === 'none' ? 'none left' : supply === 'low' ? 'few left' : null;
      return {
        name: account.name,
        service: account.service,
        username: account.username,
        remaining,
        total: batch?.codes.length ?? 0,
        batchDate: batch ? day(batch.addedAt) : null,
        fingerprint: batch ? batchFingerprint(batch) : null,
        warning,
      };
    });
}

/** `lifeboat list` as a table. */
export function renderList(entries: readonly ListEntry[]): string {
  if (entries.length === 0) return 'no accounts yet: add one with `lifeboat add <account> < codes.txt`\n';
  const rows = entries.map((entry) => [
    safe(entry.name),
    `${entry.remaining}/${entry.total}`,
    entry.batchDate ?? '-',
    entry.warning === 'few left'
      ? `only ${entry.remaining} left: generate new codes soon`
      : entry.warning === 'none left'
        ? 'none left: generate new codes'
        : entry.warning === 'no active batch'
          ? 'no active batch'
          : '',
  ]);
  return table(['ACCOUNT', 'LEFT', 'ADDED', ''], rows, [false, true, false, false]);
}

function table(header: readonly string[], rows: readonly (readonly string[])[], alignRight: readonly boolean[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => textColumns(row[column] ?? ''))));
  return all
    .map((row) =>
      row
        .map((cell, column) => {
          const pad = ' '.repeat((widths[column] ?? 0) - textColumns(cell));
          return alignRight[column] ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** The state of one code as `show --json` reports it. */
export interface ShownCode {
  readonly code: string;
  readonly state: 'unspent' | 'spent';
  readonly spentAt: string | null;
}

function shownCodes(batch: Batch): ShownCode[] {
  return batch.codes.map((code) => ({ code: code.code, state: code.spentAt ? 'spent' : 'unspent', spentAt: code.spentAt }));
}

/** `lifeboat show --json`: the active batch's codes in order, and with `all` every batch. */
export function showJson(account: Account, all: boolean): object {
  const active = activeBatch(account);
  const base = {
    name: account.name,
    service: account.service,
    username: account.username,
    note: account.note,
    batch: active ? batchJson(account, active) : null,
    codes: active ? shownCodes(active) : [],
  };
  if (!all) return base;
  return { ...base, batches: batchesForDisplay(account).map((batch) => ({ ...batchJson(account, batch), codes: shownCodes(batch) })) };
}

function batchJson(account: Account, batch: Batch): object {
  const isActive = activeBatch(account)?.id === batch.id;
  return {
    id: batch.id,
    fingerprint: batchFingerprint(batch),
    addedAt: batch.addedAt,
    state: isActive ? 'active' : 'superseded',
    supersededAt: supersededSince(account, batch),
    source: batch.source,
    remaining: remainingCodes(batch),
    total: batch.codes.length,
  };
}


/** `lifeboat show`: the active batch, spent codes marked, and with `all` the superseded batches after it. */
export function renderShow(account: Account, all: boolean): string {
  const active = activeBatch(account);
  const lines: string[] = [];
  const title = [
    safe(account.name),
    account.service && account.service.toLowerCase() !== account.name.toLowerCase() ? `(${safe(account.service)})` : '',
    account.username ? `user ${safe(account.username)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  lines.push(title);
  if (account.note) lines.push(`  note: ${safe(account.note)}`);
  if (!active) lines.push('  no active batch');
  const batches = all ? batchesForDisplay(account) : active ? [active] : [];
  for (const batch of batches) {
    const isActive = batch.id === active?.id;
    const status = isActive
      ? `${remainingCodes(batch)} of ${batch.codes.length} left`
      : `SUPERSEDED${supersededSince(account, batch) ? ` on ${day(supersededSince(account, batch) ?? '')}` : ''}: the service no longer accepts these`;
    lines.push('', `  batch ${batchFingerprint(batch)}, added ${day(batch.addedAt)}: ${status}`);
    const width = String(batch.codes.length).length;
    const codeWidth = Math.max(...batch.codes.map((code) => textColumns(safe(code.code))));
    batch.codes.forEach((code, i) => {
      const number = String(i + 1).padStart(width);
      const mark = code.spentAt ? `spent ${when(code.spentAt)}` : isActive ? '' : 'never used';
      lines.push(`  ${number}. ${padColumns(safe(code.code), codeWidth)}  ${mark}`.trimEnd());
    });
  }
  return `${lines.join('\n')}\n`;
}

/** `lifeboat check --json`. */
export function checkJson(result: CheckResult): object {
  return {
    state: result.state,
    account: result.match?.account ?? null,
    matches: result.matches.map((match) => ({ account: match.account, batch: match.batch, state: match.state, spentAt: match.spentAt })),
  };
}

/** `lifeboat check`: one sentence per place the code was found. */
export function renderCheck(result: CheckResult): string {
  if (result.matches.length === 0) return 'unknown: no account in this vault has that code\n';
  const lines = result.matches.map((match) => {
    const account = safe(match.account);
    if (match.state === 'unspent') return `unspent: a code of ${account} that still works`;
    if (match.state === 'spent') return `spent: a code of ${account}, used on ${when(match.spentAt ?? '')}`;
    const replaced = match.supersededAt ? `, replaced on ${day(match.supersededAt)}` : '';
    return `superseded: a code of ${account} from the batch of ${day(match.batchAddedAt)}${replaced}; the service no longer accepts it`;
  });
  return `${lines.join('\n')}\n`;
}

/** The code `use` prints: the code alone, safe for a terminal (a real code is never changed by that). */
export function renderCode(code: string): string {
  return `${safe(code)}\n`;
}

/** JSON for `--json`, with control and format characters from data written as `\uXXXX` escapes. */
export function renderJson(value: unknown): string {
  return `${terminalJson(JSON.stringify(value, null, 2))}\n`;
}

/** A key-derivation cost as people read it: "64 MiB, 3 passes". */
export function describeCost(cost: { readonly memoryKiB: number; readonly passes: number }): string {
  const memory = cost.memoryKiB % 1024 === 0 ? `${cost.memoryKiB / 1024} MiB` : `${cost.memoryKiB} KiB`;
  return `${memory}, ${cost.passes} pass${cost.passes === 1 ? '' : 'es'}`;
}
