import { terminalText } from './sanitize.js';
import {
  activeBatch,
  batchFingerprint,
  batchSupply,
  compareNames,
  day,
  handedOutSuperseded,
  remainingCodes,
  when,
  type VaultContent,
} from '../domain/index.js';
import { describeCost } from './text.js';

/**
 * `lifeboat status`: what needs attention in one screen. The command gathers the facts (the content, the
 * file modes, the time of the last export); each small function below turns some of them into attention
 * items, and the report is the list of their results. A new kind of item is a new function in
 * `ATTENTION_SOURCES`, and, if it needs a new fact, an optional field in `StatusFacts`.
 */

/** A key-derivation cost, as the vault header holds it. */
export interface Cost {
  readonly memoryKiB: number;
  readonly passes: number;
}

/** Everything `status` looks at, gathered by the command line. */
export interface StatusFacts {
  readonly vaultFile: string;
  readonly content: VaultContent;
  /** The current time (ISO 8601, UTC): the report reads no clock itself. */
  readonly now: string;
  readonly cost: Cost;
  /** Today's default cost for a new vault. */
  readonly defaultCost: Cost;
  /** When the last encrypted export was written, or null if none is known. */
  readonly lastExport: string | null;
  /** The vault's folder and its permission bits, if it could be read. */
  readonly folder: { readonly path: string; readonly mode: number } | null;
  /** The vault file's permission bits, if it could be read. */
  readonly fileMode: number | null;
  /**
   * SEAM (conflict copies): the paths of conflict copies of the vault found beside it by a sync tool,
   * waiting to be merged. Left undefined until the vault room can find them.
   */
  readonly conflictCopies?: readonly string[];
  /** SEAM (unlock session): whether an unlock session is open for this vault and until when. */
  readonly session?: { readonly open: boolean; readonly until: string | null };
}

/** What kind of thing an item is about. */
export type AttentionKind =
  | 'no-codes'
  | 'low-codes'
  | 'destroy-sheet'
  | 'destroy-copy'
  | 'export'
  | 'export-outdated'
  | 'key-derivation'
  | 'unsafe-folder'
  | 'unsafe-file'
  | 'conflict-copies'
  | 'unlock-session';

/** One line of the report: `attention` items make `status` exit 1, `info` items are said and let be. */
export interface AttentionItem {
  readonly kind: AttentionKind;
  readonly level: 'attention' | 'info';
  readonly account: string | null;
  readonly message: string;
  readonly hint: string | null;
}

/** A function that finds some of the items. */
export type AttentionSource = (facts: StatusFacts) => AttentionItem[];

/** How long after a batch was superseded `status` keeps reminding to destroy its sheet or copy, in days. */
export const DESTROY_REMINDER_DAYS = 30;

function item(kind: AttentionKind, level: AttentionItem['level'], account: string | null, message: string, hint: string | null = null): AttentionItem {
  return { kind, level, account, message, hint };
}

function sortedAccounts(content: VaultContent): VaultContent['accounts'] {
  return [...content.accounts].sort((a, b) => compareNames(a.name, b.name));
}

/** Accounts whose active batch is out of codes, or low (see `batchSupply`). */
export const codeSupply: AttentionSource = (facts) =>
  sortedAccounts(facts.content).flatMap((account) => {
    const batch = activeBatch(account);
    if (!batch) return [];
    const supply = batchSupply(batch);
    if (supply === 'fine') return [];
    const fix = `generate new codes at the service, then run \`lifeboat add ${account.name}\``;
    if (supply === 'none') return [item('no-codes', 'attention', account.name, `${account.name}: no unspent code left`, fix)];
    const left = remainingCodes(batch);
    return [item('low-codes', 'attention', account.name, `${account.name}: only ${left} of ${batch.codes.length} codes left`, fix)];
  });

/** Superseded batches printed or copied in the last `DESTROY_REMINDER_DAYS` days. */
export const sheetsToDestroy: AttentionSource = (facts) => {
  const since = new Date(Date.parse(facts.now) - DESTROY_REMINDER_DAYS * 86_400_000).toISOString();
  return sortedAccounts(facts.content).flatMap((account) =>
    handedOutSuperseded(account, since).flatMap(({ batch, supersededAt }) => {
      const which = `the batch ${batchFingerprint(batch)} of ${account.name}, superseded on ${day(supersededAt)}`;
      const items: AttentionItem[] = [];
      if (batch.printedAt) {
        items.push(item('destroy-sheet', 'attention', account.name, `${which}, was printed on ${day(batch.printedAt)}`, 'destroy that sheet: its codes no longer work'));
      }
      if (batch.copiedAt) {
        items.push(item('destroy-copy', 'attention', account.name, `${which}, was copied on ${day(batch.copiedAt)}`, 'delete it wherever you pasted it'));
      }
      return items;
    }),
  );
};

/** When the last encrypted export was written, and whether batches were added since. */
export const exportFreshness: AttentionSource = (facts) => {
  if (facts.lastExport === null) {
    if (facts.content.accounts.length === 0) return [];
    return [item('export', 'info', null, 'no encrypted export of this vault is known', 'keep one off this computer: `lifeboat export --out FILE`')];
  }
  const exported = facts.lastExport;
  const newer = facts.content.accounts.flatMap((account) => account.batches.filter((batch) => batch.addedAt > exported));
  const said = item('export', 'info', null, `last encrypted export written ${when(exported)}`);
  if (newer.length === 0) return [said];
  return [
    said,
    item(
      'export-outdated',
      'attention',
      null,
      `${newer.length} batch${newer.length === 1 ? ' was' : 'es were'} added since the last export`,
      'write a new one: `lifeboat export --out FILE`',
    ),
  ];
};

/** The vault's key-derivation cost against today's default. */
export const keyDerivation: AttentionSource = (facts) => {
  const { cost, defaultCost } = facts;
  if (cost.memoryKiB >= defaultCost.memoryKiB && cost.passes >= defaultCost.passes) {
    return [item('key-derivation', 'info', null, `key derivation ${describeCost(cost)} (today's default: ${describeCost(defaultCost)})`)];
  }
  const memory = Math.ceil(Math.max(cost.memoryKiB, defaultCost.memoryKiB) / 1024);
  const passes = Math.max(cost.passes, defaultCost.passes);
  return [
    item(
      'key-derivation',
      'attention',
      null,
      `the key derivation (${describeCost(cost)}) is below today's default (${describeCost(defaultCost)})`,
      `raise it with \`lifeboat passwd --kdf-memory ${memory} --kdf-passes ${passes}\``,
    ),
  ];
};

/** A vault folder or file other users can read or write. */
export const fileModes: AttentionSource = (facts) => {
  const items: AttentionItem[] = [];
  const { folder, fileMode } = facts;
  if (folder && (folder.mode & 0o077) !== 0) {
    const how = [(folder.mode & 0o044) !== 0 ? 'read' : '', (folder.mode & 0o022) !== 0 ? 'written' : ''].filter(Boolean).join(' and ') || 'entered';
    items.push(
      item('unsafe-folder', 'attention', null, `the vault's folder ${folder.path} can be ${how} by other users (mode ${folder.mode.toString(8)})`, `run \`chmod 700 ${folder.path}\``),
    );
  }
  if (fileMode !== null && (fileMode & 0o077) !== 0) {
    items.push(
      item('unsafe-file', 'attention', null, `the vault ${facts.vaultFile} can be read by other users (mode ${fileMode.toString(8)})`, `run \`chmod 600 ${facts.vaultFile}\``),
    );
  }
  return items;
};

/** SEAM (conflict copies): copies a sync tool left beside the vault, once the vault room reports them. */
export const conflictCopies: AttentionSource = (facts) => {
  const copies = facts.conflictCopies ?? [];
  if (copies.length === 0) return [];
  return [item('conflict-copies', 'attention', null, `${copies.length} conflict cop${copies.length === 1 ? 'y' : 'ies'} of the vault waiting to be merged`, null)];
};

/** SEAM (unlock session): whether an unlock session is open, once there is one to ask. */
export const unlockSession: AttentionSource = (facts) => {
  if (!facts.session) return [];
  const { open, until } = facts.session;
  return [item('unlock-session', 'info', null, open ? `an unlock session is open${until ? ` until ${when(until)}` : ''}` : 'no unlock session is open')];
};

/** Every source, in the order the report lists their items. */
export const ATTENTION_SOURCES: readonly AttentionSource[] = [
  codeSupply,
  sheetsToDestroy,
  conflictCopies,
  exportFreshness,
  keyDerivation,
  fileModes,
  unlockSession,
];

/** The report: every item, and whether any needs attention. */
export interface StatusReport {
  readonly vault: string;
  readonly accounts: number;
  readonly lastExport: string | null;
  readonly cost: Cost;
  readonly defaultCost: Cost;
  readonly attention: boolean;
  readonly items: readonly AttentionItem[];
}

/** Runs every source on the facts. */
export function statusReport(facts: StatusFacts, sources: readonly AttentionSource[] = ATTENTION_SOURCES): StatusReport {
  const items = sources.flatMap((source) => source(facts));
  return {
    vault: facts.vaultFile,
    accounts: facts.content.accounts.length,
    lastExport: facts.lastExport,
    cost: facts.cost,
    defaultCost: facts.defaultCost,
    attention: items.some((entry) => entry.level === 'attention'),
    items,
  };
}

/** The report as a screen of text: the vault, what needs attention, then the rest. */
export function renderStatus(report: StatusReport): string {
  const count = `${report.accounts} account${report.accounts === 1 ? '' : 's'}`;
  const lines = [`vault ${report.vault}: ${count}`];
  const attention = report.items.filter((entry) => entry.level === 'attention');
  const info = report.items.filter((entry) => entry.level === 'info');
  if (attention.length === 0) lines.push('nothing needs attention');
  else {
    lines.push(`${attention.length} thing${attention.length === 1 ? ' needs' : 's need'} attention:`);
    for (const entry of attention) {
      lines.push(`  ! ${entry.message}`);
      if (entry.hint) lines.push(`    ${entry.hint}`);
    }
  }
  for (const entry of info) lines.push(`  ${entry.message}${entry.hint ? `: ${entry.hint}` : ''}`);
  return `${lines.map(terminalText).join('\n')}\n`;
}
