import path from 'node:path';
import { addBatch, day, type AddOutcome, type IncomingCode } from '../../domain/index.js';
import type { CommandContext } from '../context.js';
import { readUserFile, typedLines } from '../input.js';

/** Options of `lifeboat add`. */
export interface AddCommandOptions {
  readonly file?: string;
  readonly yes?: boolean;
  readonly asSuperseded?: boolean;
}

/** One code per line; blank lines are skipped. Spaces and dashes inside a line are the service's grouping. */
export function codesFromLines(text: string): IncomingCode[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((code) => ({ code, used: false }));
}

async function collectInput(context: CommandContext, options: AddCommandOptions): Promise<{ text: string; source: string }> {
  if (options.file !== undefined) return { text: readUserFile(options.file), source: `file:${path.basename(options.file)}` };
  if (!context.io.stdinIsTty) return { text: await context.readStdin(), source: 'stdin' };
  return { text: await typedLines('Type the codes, one per line, then an empty line.'), source: 'typed' };
}

/** `lifeboat add <account>`: stores a batch, superseding, merging or refusing as the model decides. */
export async function add(context: CommandContext, accountName: string, options: AddCommandOptions): Promise<void> {
  const { text, source } = await collectInput(context, options);
  const codes = codesFromLines(text);
  await context.withVault(async (vault) => {
    const addOptions = { source, asSuperseded: options.asSuperseded ?? false };
    // Dry run on what we read, to ask before losing unspent codes; the lock is not held while asking.
    const preview = addBatch(vault.content, accountName, codes, addOptions, context.change()).outcome;
    if (preview.kind === 'superseded' && preview.oldUnspent > 0) {
      const unused = `${preview.oldUnspent} unused code${preview.oldUnspent === 1 ? '' : 's'}`;
      await context.confirm(
        {
          question: `Replace the active batch of ${preview.account.name}? Its ${unused} will be marked superseded.`,
          refusal: `this would supersede the active batch of ${preview.account.name} and its ${unused}`,
        },
        options.yes,
      );
    }
    const outcome = await vault.update((content) => {
      const { vault: next, outcome } = addBatch(content, accountName, codes, addOptions, context.change());
      return { content: next, result: outcome };
    });
    report(context, outcome);
  });
}

function report(context: CommandContext, outcome: AddOutcome): void {
  const count = outcome.batch.codes.length;
  const spent = outcome.batch.codes.filter((code) => code.spentAt !== null).length;
  const spentNote = spent > 0 ? ` (${spent} marked as used)` : '';
  switch (outcome.kind) {
    case 'created-account':
    case 'added':
      context.say(`stored ${count} codes for ${outcome.account.name}${spentNote}`);
      return;
    case 'superseded':
      context.say(`stored ${count} codes for ${outcome.account.name}${spentNote}`);
      context.warn(
        `the batch of ${day(outcome.old.addedAt)} is now superseded: the service no longer accepts its codes (${outcome.oldUnspent} of ${outcome.old.codes.length} were never used)`,
      );
      if (outcome.old.printedAt) context.warn(`you printed the old codes on ${day(outcome.old.printedAt)}: destroy that sheet`);
      return;
    case 'merged':
      if (outcome.newlySpent === 0) context.say(`${outcome.account.name} already has this batch: nothing changed`);
      else context.say(`${outcome.account.name} already has this batch: marked ${outcome.newlySpent} more codes as used`);
      if (outcome.superseded) context.warn('that batch is superseded: the service no longer accepts its codes');
      return;
    case 'stored-as-history':
      context.say(`stored ${count} codes for ${outcome.account.name} as a superseded batch (history only)`);
      return;
  }
}
