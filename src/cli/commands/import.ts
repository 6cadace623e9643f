import fs from 'node:fs';
import path from 'node:path';
import { DomainError, mergeVaults, removedIds, validateAccountName, withFreshIds, type DetailChange, type MergeSummary, type VaultContent } from '../../domain/index.js';
import { UNOPENABLE, VaultError, looksLikeVault, parseContent, readVaultCopy, wipe } from '../../vault/index.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { agreeToCost } from '../foreign-cost.js';
import { obtainPassphrase } from '../passphrase.js';
import { askConfirm } from '../prompts.js';
import { hasTerminal } from '../terminal.js';

/** A vault of thousands of codes is well under a megabyte: a bigger file is not an export of ours. */
const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

const EXPORT_HINT = 'give a file written by `lifeboat export --out FILE` or `lifeboat export --plaintext --format json` (a CSV export cannot be imported)';

/** The refusal of a file that is neither an encrypted export nor JSON. */
const NOT_JSON = (file: string): string => `${file} is not a lifeboat export: it is neither encrypted (it does not start with LIFEBOAT) nor valid UTF-8 JSON`;

/** What was read, and whether it lay on disk in plain text. */
interface ReadExport {
  readonly content: VaultContent;
  readonly plaintext: boolean;
}

/**
 * `lifeboat import FILE`: merges an encrypted export or a JSON export into the vault, under the lock.
 * Nothing is ever removed or duplicated (see `mergeVaults`); importing the same file again changes
 * nothing, and says so. The export's own removals are not applied.
 */
export async function importFile(
  context: CommandContext,
  file: string,
  options: { readonly yes?: boolean; readonly restoreRemoved?: boolean } = {},
): Promise<void> {
  const source = path.resolve(file);
  await context.requireVault();
  const { content: read, plaintext } = await readExport(context, source, options.yes);
  await context.withVault(async (vault) => {
    // Accounts removed here are skipped, unless the user asks to bring them back (as new accounts).
    const removed = removedIds(vault.content);
    const back = read.accounts.filter((account) => removed.has(account.id));
    const restore = back.length > 0 && (await restoreRemoved(context, back.map((account) => account.name), options.restoreRemoved === true));
    const incoming = restore ? withFreshIds(read, removed, context.change()) : read;
    // A first look at what the vault holds now: when there is nothing new, nothing is written.
    const preview = refusedExport(source, () => mergeVaults(vault.content, incoming, context.change()));
    const acceptDetails = await askDetails(context, preview.summary.detailChanges, options.yes);
    const summary =
      preview.summary.changed || (acceptDetails && preview.summary.detailChanges.length > 0)
        ? await vault.update((content) => {
            const merged = mergeVaults(content, incoming, context.change(), { acceptDetails });
            return { content: merged.vault, result: merged.summary };
          })
        : preview.summary;
    report(context, source, summary);
  });
  if (plaintext) context.warn(`${source} holds every code in plain text: delete it once you no longer need it`);
}

/**
 * An export may carry other details (service, username, note) for accounts the vault already has: they
 * are shown and applied only when the user accepts them (on a terminal, or with --yes). Without either,
 * they are left as they are and the report says so.
 */
async function askDetails(context: CommandContext, changes: readonly DetailChange[], yes: boolean | undefined): Promise<boolean> {
  if (changes.length === 0) return false;
  if (yes) return true;
  if (!hasTerminal()) return false;
  for (const change of changes) {
    context.say(`${change.account}: ${change.field} ${change.from === null ? '(none)' : `"${change.from}"`} would become "${change.to}"`);
  }
  return askConfirm(`Apply ${count(changes.length, 'change', 'changes')} to existing accounts?`, false);
}

/** An export the model refuses whole (a time in the future, too many items, a formula code): said so, exit 1. */
function refusedExport<T>(file: string, merge: () => T): T {
  try {
    return merge();
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind !== 'invalid-import') throw error;
    throw new CliError(`${file} cannot be imported: ${error.message}`, { hint: 'nothing was imported; the vault is unchanged' });
  }
}

/** Whether to bring back accounts removed here that the export still holds: `--restore-removed`, or asked on a terminal. */
async function restoreRemoved(context: CommandContext, names: readonly string[], flag: boolean): Promise<boolean> {
  if (flag) return true;
  if (!hasTerminal()) return false;
  const which = names.length === 1 ? `${names[0]}, which was removed from this vault` : `${names.length} accounts removed from this vault (${names.join(', ')})`;
  return askConfirm(`The export holds ${which}. Restore ${names.length === 1 ? 'it' : 'them'}?`, false);
}

/** Reads and validates an export, asking for its passphrase when it is encrypted. */
async function readExport(context: CommandContext, file: string, yes: boolean | undefined): Promise<ReadExport> {
  const bytes = readBytes(file);
  if (looksLikeVault(bytes)) {
    // Before the passphrase and any derivation: a cost above the default needs a yes (issue 11, finding 8).
    let allowedCost;
    try {
      allowedCost = await agreeToCost(context, file, bytes, yes);
    } finally {
      bytes.fill(0);
    }
    const passphrase = await obtainPassphrase(context.settings.newPassphrase, {
      prefix: 'LIFEBOAT_NEW_PASSPHRASE',
      label: 'Passphrase of the export',
      twice: false,
    });
    try {
      return { content: checkNames(await readVaultCopy(file, passphrase, allowedCost), file), plaintext: false };
    } catch (error) {
      throw unopenableExport(error, file);
    } finally {
      wipe(passphrase);
    }
  }
  try {
    return { content: checkNames(parseJsonExport(bytes, file), file), plaintext: true };
  } catch (error) {
    // A file that is no export may be a service's code list: then the hint names `add --file`.
    if (error instanceof CliError && error.message === NOT_JSON(file)) throw new CliError(error.message, { hint: await codeListHint(bytes, file) });
    throw error;
  } finally {
    bytes.fill(0);
  }
}

function readBytes(file: string): Buffer {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new CliError(`${file} is not a file`, { hint: EXPORT_HINT });
    if (stat.size > MAX_EXPORT_BYTES) throw new CliError(`${file} is too big to be a lifeboat export`, { hint: EXPORT_HINT });
    return fs.readFileSync(file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new CliError(`cannot read ${file}: no such file`, { hint: 'check the path' });
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CliError(`cannot read ${file}: permission denied`, { hint: 'check its owner and mode with `ls -l`, or copy it somewhere you can read' });
    }
    throw new CliError(`cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}`, { hint: 'check the path' });
  }
}

/**
 * A JSON export (`export --plaintext --format json`, or docs/decrypt.py's output). Errors say what is
 * wrong and where, never what the file holds: Node's own JSON errors quote the input, so theirs is dropped.
 */
export function parseJsonExport(bytes: Buffer, file: string): VaultContent {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch {
    throw new CliError(NOT_JSON(file), { hint: EXPORT_HINT });
  }
  try {
    return parseContent(value);
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    // parseContent speaks of "the vault" and names places ("account 2 batch 1 code 3 spentAt is not a
    // UTC time"); the one message that quotes content (a duplicate name) is cut to its kind.
    const detail = error.message.replace(/^the vault is damaged: /, '');
    const where = detail.includes('"') ? 'two accounts have the same name' : detail;
    throw new CliError(`${file} is not a valid lifeboat JSON export: ${where}`, { hint: EXPORT_HINT });
  }
}

/**
 * The hint for a file that is not an export: when it reads as a service's list of backup codes (the file
 * GitHub or Google lets you download), `add ACCOUNT --file` is what the user meant (issue 9).
 */
async function codeListHint(bytes: Buffer, file: string): Promise<string> {
  const { recognize } = await import('../../import/index.js');
  const text = new TextDecoder('utf-8').decode(bytes);
  const reading = recognize(text, { fileName: file });
  if (reading.confidence !== 'confident') return EXPORT_HINT;
  return `it looks like ${reading.label} (${reading.codes.length} codes): to store them, run \`lifeboat add ACCOUNT --file ${file}\``;
}

/** Names arrive from a file anyone can edit: each must be one `lifeboat add` would accept. */
function checkNames(content: VaultContent, file: string): VaultContent {
  content.accounts.forEach((account, index) => {
    try {
      validateAccountName(account.name);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new CliError(`${file} is not a valid lifeboat export: account ${index + 1} has an invalid name (${error.message})`, { hint: EXPORT_HINT });
    }
  });
  return content;
}

/** An export that cannot be opened: exit 3 like the vault, in words about the export. */
function unopenableExport(error: unknown, file: string): unknown {
  if (!(error instanceof VaultError) || !UNOPENABLE.has(error.kind)) return error;
  const hint = 'nothing was imported; the vault is unchanged';
  if (error.kind === 'wrong-passphrase') {
    return new CliError(`wrong passphrase for the export ${file}`, {
      hint: 'give the passphrase chosen at `lifeboat export` in LIFEBOAT_NEW_PASSPHRASE (or its _FILE or _COMMAND twin), or type it when asked',
      exitCode: EXIT.unopenable,
    });
  }
  if (error.kind === 'damaged') {
    return new CliError(`the export ${file} is damaged or was tampered with`, { hint, exitCode: EXIT.unopenable });
  }
  return new CliError(`cannot open the export ${file}: ${error.message}`, { hint: error.hint ?? hint, exitCode: EXIT.unopenable });
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Says on stderr what the import did. */
function report(context: CommandContext, file: string, summary: MergeSummary): void {
  const skipped = summary.skippedAccounts.length;
  if (summary.changed) {
    context.say(
      `imported ${file}: ${count(summary.accountsAdded.length, 'account', 'accounts')} added, ` +
        `${summary.accountsMerged.length} merged, ${count(summary.batchesAdded, 'batch', 'batches')} added, ` +
        `${count(summary.codesNewlySpent, 'code', 'codes')} newly marked spent, ${skipped} skipped`,
    );
  } else {
    context.say(`nothing new in ${file}: the vault already holds all of it, so nothing was changed`);
  }
  if (skipped > 0) {
    context.say(`skipped ${count(skipped, 'account', 'accounts')} removed from this vault: ${summary.skippedAccounts.join(', ')}`);
    context.say(`to restore ${skipped === 1 ? 'it' : 'them'}, run \`lifeboat import ${file} --restore-removed\` (or run it on a terminal to be asked)`);
  }
  for (const { account, count: batches } of summary.batchesAddedAsHistory) {
    context.say(`added ${count(batches, 'batch', 'batches')} to ${account} as superseded history: an export never replaces the active batch; if the export's codes are the newer ones, add them with \`lifeboat add ${account}\``);
  }
  if (summary.codesIgnored > 0) {
    context.warn(`the export lists ${count(summary.codesIgnored, 'code', 'codes')} in batches this vault holds without them: they were not added`);
  }
  const details = summary.detailChanges.length;
  if (details > 0 && !summary.detailsApplied) {
    context.say(`left ${count(details, 'detail', 'details')} of existing accounts as they were (${summary.detailChanges.map((change) => `${change.account} ${change.field}`).join(', ')})`);
    context.say('hint: run the import again on a terminal to review them, or with --yes to accept them');
  } else if (details > 0) {
    context.say(`changed ${count(details, 'detail', 'details')} of existing accounts`);
  }
  if (summary.skippedBatches > 0) {
    context.say(`skipped ${count(summary.skippedBatches, 'batch', 'batches')} removed from this vault`);
  }
  const kept = summary.keptThoughRemovedThere;
  if (kept.length > 0) {
    context.say(
      `kept ${count(kept.length, 'account', 'accounts')} that the export had removed (${kept.join(', ')}): an import never removes anything; use \`lifeboat remove\` to remove ${kept.length === 1 ? 'it' : 'them'} here`,
    );
  }
}
