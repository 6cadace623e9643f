import path from 'node:path';
import { mergeCopies, type SyncReport } from '../../domain/index.js';
import { describeCost, renderJson } from '../../output/text.js';
import { describeNameClashes, describeSyncReport } from '../../output/sync-text.js';
import { UNOPENABLE, VaultError, wipe, type ConflictOutcome, type KdfCost, type OpenVault, type ReadCopy } from '../../vault/index.js';
import { sayConflictOutcome, whyLeft } from '../conflicts.js';
import type { CommandContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { obtainPassphrase } from '../passphrase.js';
import { hasTerminal } from '../terminal.js';

/** Options of `lifeboat merge`. */
export interface MergeOptions {
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly conflicts?: boolean;
}

/** The stronger of two key-derivation costs: the larger memory and the larger number of passes. */
export function strongerCost(a: KdfCost, b: KdfCost): KdfCost {
  return { memoryKiB: Math.max(a.memoryKiB, b.memoryKiB), passes: Math.max(a.passes, b.passes) };
}

function sameCost(a: KdfCost, b: KdfCost): boolean {
  return a.memoryKiB === b.memoryKiB && a.passes === b.passes;
}

/** Asks for (or reads) the other copy's passphrase. The caller wipes it. */
export function otherPassphrase(context: CommandContext): Promise<Uint8Array> {
  return obtainPassphrase(context.settings.otherPassphrase, {
    prefix: 'LIFEBOAT_OTHER_PASSPHRASE',
    label: 'Passphrase of the other copy',
    twice: false,
  });
}

/**
 * `lifeboat merge OTHER` merges another copy of this vault into it, in one locked, crash-safe save, and says
 * what came in. `lifeboat merge --conflicts` does the same for every conflict copy beside the vault.
 * The vault keeps its passphrase and gets the stronger of the two key-derivation costs.
 */
export async function merge(context: CommandContext, file: string | undefined, options: MergeOptions): Promise<void> {
  if (file === undefined && !options.conflicts) {
    throw new UsageError('give the other copy of the vault to merge, or --conflicts', 'run `lifeboat merge OTHER.lifeboat` or `lifeboat merge --conflicts`');
  }
  if (file !== undefined && options.conflicts) {
    throw new UsageError('give either a file or --conflicts, not both', 'run `lifeboat merge OTHER.lifeboat` or `lifeboat merge --conflicts`');
  }
  // This command speaks about conflict copies itself.
  context.conflictsSpoken = true;
  await context.withVault(async (vault) => {
    if (file === undefined) await mergeConflicts(context, vault, options);
    else await mergeFile(context, vault, path.resolve(file), options);
  });
}

async function mergeFile(context: CommandContext, vault: OpenVault, source: string, options: MergeOptions): Promise<void> {
  if (source === vault.path) throw new UsageError(`${source} is the vault itself`, 'give another copy of the vault');
  const other = await readOther(context, vault, source);
  const preview = mergeCopies(vault.content, other.content).report;
  const cost = strongerCost(vault.cost, other.cost);
  const raise = !sameCost(cost, vault.cost);
  let report: SyncReport = preview;
  if (!options.dryRun) {
    if (preview.changed) {
      report = await vault.update((content) => {
        const merged = mergeCopies(content, other.content);
        return { content: merged.content, result: merged.report };
      });
    }
    if (raise) await vault.raiseCost(cost);
  }
  if (options.json) {
    context.out(renderJson({ file: source, dryRun: options.dryRun === true, ...report, cost, costRaised: raise }));
  }
  const verb = options.dryRun ? 'would merge' : 'merged';
  context.say(`${verb} ${source}: ${describeSyncReport(report)}`);
  for (const line of describeNameClashes(report)) context.warn(line);
  if (raise) {
    context.say(
      `${options.dryRun ? 'would raise' : 'raised'} the key derivation to ${describeCost(cost)}, the stronger of the two copies; the passphrase stays this vault's`,
    );
  } else {
    context.say(`kept this vault's passphrase and key derivation (${describeCost(vault.cost)})`);
  }
  if (options.dryRun) context.say('dry run: nothing was written');
  else if (!report.changed && !raise) context.say('nothing was changed');
}

/** Reads the other copy with this vault's passphrase, or else with the other passphrase. */
async function readOther(context: CommandContext, vault: OpenVault, source: string): Promise<ReadCopy> {
  try {
    return await vault.readCopy(source);
  } catch (error) {
    if (!(error instanceof VaultError && error.kind === 'wrong-passphrase')) throw unopenableCopy(error, source);
  }
  const passphrase = await otherPassphrase(context);
  try {
    return await vault.readCopy(source, passphrase);
  } catch (error) {
    throw unopenableCopy(error, source);
  } finally {
    wipe(passphrase);
  }
}

/** A copy that cannot be opened: exit 3 like the vault, in words about the copy. Nothing was written. */
function unopenableCopy(error: unknown, file: string): unknown {
  if (!(error instanceof VaultError)) return error;
  if (error.kind === 'missing') return new CliError(`no file at ${file}`, { hint: 'check the path' });
  if (!UNOPENABLE.has(error.kind)) return error;
  const hint = 'nothing was merged; the vault is unchanged';
  if (error.kind === 'wrong-passphrase') {
    return new CliError(`wrong passphrase for the other copy ${file}`, {
      hint: 'give its passphrase in LIFEBOAT_OTHER_PASSPHRASE (or its _FILE or _COMMAND twin), or type it when asked',
      exitCode: EXIT.unopenable,
    });
  }
  if (error.kind === 'damaged') return new CliError(`the other copy ${file} is damaged or was tampered with`, { hint, exitCode: EXIT.unopenable });
  return new CliError(`cannot open the other copy ${file}: ${error.message}`, { hint: error.hint ?? hint, exitCode: EXIT.unopenable });
}

async function mergeConflicts(context: CommandContext, vault: OpenVault, options: MergeOptions): Promise<void> {
  if (vault.conflictCopies().length === 0) {
    if (options.json) context.out(renderJson({ merged: [], left: [] }));
    context.say('no conflict copies beside the vault: nothing to merge');
    return;
  }
  const run = async (other?: Uint8Array): Promise<ConflictOutcome> =>
    options.dryRun ? vault.previewConflictCopies(other) : vault.mergeConflictCopies(other);
  let outcome = await run();
  const locked = outcome.left.some((copy) => copy.error.kind === 'wrong-passphrase');
  if (locked && (context.settings.otherPassphrase !== undefined || hasTerminal())) {
    const passphrase = await otherPassphrase(context);
    try {
      const second = await run(passphrase);
      // A dry run reads every copy again; a real run finds only the copies the first save left.
      outcome = options.dryRun ? second : { merged: [...outcome.merged, ...second.merged], left: second.left };
    } finally {
      wipe(passphrase);
    }
  }
  if (options.json) {
    context.out(
      renderJson({
        dryRun: options.dryRun === true,
        merged: outcome.merged.map((copy) => ({ file: copy.path, tool: copy.tool, ...copy.report })),
        left: outcome.left.map((copy) => ({ file: copy.path, tool: copy.tool, reason: copy.error.kind })),
      }),
    );
  }
  if (options.dryRun) {
    for (const copy of outcome.merged) context.say(`would merge the ${copy.tool} conflict copy ${path.basename(copy.path)}: ${describeSyncReport(copy.report)}`);
    for (const copy of outcome.left) context.warn(`cannot merge the conflict copy ${copy.path}: ${whyLeft(copy)}`);
    context.say('dry run: nothing was written');
  } else {
    sayConflictOutcome(context, outcome);
  }
  if (outcome.left.length > 0) {
    throw new CliError(`${outcome.left.length === 1 ? 'a conflict copy was' : `${outcome.left.length} conflict copies were`} left where ${outcome.left.length === 1 ? 'it is' : 'they are'}, unmerged`, {
      hint: 'give the passphrase of a copy in LIFEBOAT_OTHER_PASSPHRASE, or move a damaged copy away',
      exitCode: EXIT.unopenable,
    });
  }
}
