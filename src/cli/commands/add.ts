import path from 'node:path';
import { addBatch, day, describeAccount, type AddOutcome, type IncomingCode } from '../../domain/index.js';
import { recognize, SERVICE_NAMES, type AmbiguousRecognition, type Recognition } from '../../import/index.js';
import { openClipboard, type Clipboard } from '../channels.js';
import type { CommandContext } from '../context.js';
import { Cancelled, CliError, UsageError } from '../errors.js';
import { readUserFile, typedLines } from '../input.js';
import { askCheckbox, askConfirm } from '../prompts.js';
import { hasTerminal } from '../terminal.js';

/** Options of `lifeboat add`. */
export interface AddCommandOptions {
  readonly file?: string;
  readonly fromClipboard?: boolean;
  readonly username?: string;
  readonly yes?: boolean;
  readonly asSuperseded?: boolean;
}

/** The text to recognize and where it came from. */
interface Input {
  readonly text: string;
  readonly source: string;
  readonly fileName?: string;
  readonly clipboard?: Clipboard;
}

async function collectInput(context: CommandContext, options: AddCommandOptions): Promise<Input> {
  if (options.file !== undefined && options.fromClipboard) throw new UsageError('choose either --file or --from-clipboard');
  if (options.file !== undefined) return { text: readUserFile(options.file), source: `file:${path.basename(options.file)}`, fileName: options.file };
  if (options.fromClipboard) {
    const clipboard = await openClipboard(context);
    return { text: await clipboard.read(), source: 'clipboard', clipboard };
  }
  if (!context.io.stdinIsTty) return { text: await context.readStdin(), source: 'stdin' };
  return { text: await typedLines('Type the codes, one per line, then an empty line.'), source: 'typed' };
}

/** On a terminal, lets the user tick the real codes among doubtful candidates; elsewhere, refuses. */
async function pickCandidates(context: CommandContext, recognition: AmbiguousRecognition): Promise<IncomingCode[]> {
  context.say(recognition.explanation);
  if (!hasTerminal()) {
    throw new CliError(`not sure which of these ${recognition.candidates.length} candidates are codes: nothing was stored`, {
      hint: 'run it on a terminal to pick them, or give only the codes, one per line',
    });
  }
  const choices = recognition.candidates.map((candidate, index) => ({
    name: `${candidate.code}   line ${candidate.line}${candidate.used ? ', marked used' : ''}${candidate.doubt ? `: ${candidate.doubt}` : ''}`,
    value: String(index),
    checked: candidate.doubt === null,
  }));
  const picked = await askCheckbox('Which of these are backup codes? (space ticks, enter confirms)', choices);
  if (picked.length === 0) throw new Cancelled();
  return picked.map((index) => recognition.candidates[Number(index)]).flatMap((c) => (c ? [{ code: c.code, used: c.used }] : []));
}

/** The codes of a reading: a confident one as it is (after a question on a terminal), an unsure one picked by hand. */
async function codesOf(context: CommandContext, recognition: Recognition, accountName: string, yes: boolean): Promise<IncomingCode[]> {
  if (recognition.confidence === 'none') {
    throw new CliError(recognition.explanation, { hint: 'give the codes one per line, or the file the service let you download with --file' });
  }
  if (recognition.confidence === 'ambiguous') return pickCandidates(context, recognition);
  const used = recognition.codes.filter((code) => code.used).length;
  const count = recognition.codes.length;
  context.say(`recognized ${recognition.label}: ${count} code${count === 1 ? '' : 's'}${used > 0 ? ` (${used} marked as used)` : ''}`);
  if (!yes && hasTerminal() && !(await askConfirm(`Store ${count === 1 ? 'it' : `these ${count} codes`} for ${accountName}?`, true))) {
    throw new Cancelled();
  }
  return [...recognition.codes];
}

/** `lifeboat add <account>`: recognizes the codes, then stores them, superseding, merging or refusing as the model decides. */
export async function add(context: CommandContext, accountName: string, options: AddCommandOptions): Promise<void> {
  const input = await collectInput(context, options);
  if (input.text.trim() === '') {
    throw new CliError('no codes were given', { hint: 'pipe the codes on standard input, or pass --file PATH or --from-clipboard' });
  }
  const recognition = recognize(input.text, input.fileName !== undefined ? { fileName: input.fileName } : {});
  await context.withVault(async (vault) => {
    const codes = await codesOf(context, recognition, accountName, options.yes ?? false);
    const addOptions = { source: input.source, asSuperseded: options.asSuperseded ?? false };
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
    const service = recognition.confidence !== 'none' && recognition.service ? SERVICE_NAMES[recognition.service] : undefined;
    const outcome = await vault.update((content) => {
      const { vault: next, outcome } = addBatch(content, accountName, codes, addOptions, context.change());
      const details = { service: outcome.account.service ? undefined : service, username: options.username };
      return { content: describeAccount(next, outcome.account.id, details), result: outcome };
    });
    const username = options.username !== undefined && outcome.account.username !== options.username ? options.username : undefined;
    report(context, outcome, username);
  });
  if (input.clipboard) await clearClipboard(context, input.clipboard, input.text);
}

/** After an import from the clipboard, clears it if it still holds the codes (and not something newer). */
async function clearClipboard(context: CommandContext, clipboard: Clipboard, text: string): Promise<void> {
  try {
    if ((await clipboard.read()) !== text) return;
    await clipboard.clear();
    context.say('cleared the clipboard, which held the codes');
  } catch {
    context.warn('the codes were stored, but the clipboard could not be cleared: clear it yourself');
  }
}

function report(context: CommandContext, outcome: AddOutcome, newUsername: string | undefined): void {
  const count = outcome.batch.codes.length;
  const spent = outcome.batch.codes.filter((code) => code.spentAt !== null).length;
  const spentNote = spent > 0 ? ` (${spent} marked as used)` : '';
  const stored = `stored ${count} code${count === 1 ? '' : 's'} for ${outcome.account.name}${spentNote}`;
  switch (outcome.kind) {
    case 'created-account':
    case 'added':
      context.say(stored);
      return;
    case 'superseded':
      context.say(stored);
      context.warn(
        `the batch of ${day(outcome.old.addedAt)} is now superseded: the service no longer accepts its codes (${outcome.oldUnspent} of ${outcome.old.codes.length} were never used)`,
      );
      if (outcome.old.printedAt) context.warn(`you printed the old codes on ${day(outcome.old.printedAt)}: destroy that sheet`);
      if (outcome.old.copiedAt) context.warn(`you copied the old codes on ${day(outcome.old.copiedAt)}: delete them wherever you pasted them`);
      return;
    case 'merged':
      {
        const changes = [
          ...(outcome.newlySpent > 0 ? [`marked ${outcome.newlySpent} more codes as used`] : []),
          ...(newUsername !== undefined ? [`updated the username to "${newUsername}"`] : []),
        ];
        context.say(`${outcome.account.name} already has this batch: ${changes.length > 0 ? changes.join(', ') : 'nothing changed'}`);
      }
      if (outcome.superseded) context.warn('that batch is superseded: the service no longer accepts its codes');
      return;
    case 'stored-as-history':
      context.say(`stored ${count} codes for ${outcome.account.name} as a superseded batch (history only)`);
      return;
  }
}
