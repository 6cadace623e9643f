import path from 'node:path';
import {
  addBatch,
  day,
  describeAccount,
  findAccountExact,
  holdersOf,
  validateAccountName,
  nearestNames,
  type AddOutcome,
  type IncomingCode,
  type VaultContent,
} from '../../domain/index.js';
import { recognize, SERVICE_NAMES, type AmbiguousRecognition, type Recognition } from '../../import/index.js';
import { candidateChoice, renderReading } from '../../output/reading.js';
import { openClipboard, type Clipboard } from '../channels.js';
import type { CommandContext } from '../context.js';
import { Cancelled, CliError, UsageError } from '../errors.js';
import { readUserFile, typedLines } from '../input.js';
import { binaryKind, fileHead } from '../ocr.js';
import { askCheckbox, askConfirm, askSelect } from '../prompts.js';
import { hasTerminal, tellTerminal } from '../terminal.js';

/** Options of `lifeboat add`. */
export interface AddCommandOptions {
  readonly file?: string;
  readonly image?: string;
  readonly fromClipboard?: boolean;
  readonly username?: string;
  readonly yes?: boolean;
  readonly asSuperseded?: boolean;
}

/** The text to recognize (or what an image was read as) and where it came from. */
interface Input {
  readonly text: string;
  /** Set for an image: the agreed reading of several OCR passes. */
  readonly recognition?: Recognition;
  readonly source: string;
  readonly fileName?: string;
  readonly clipboard?: Clipboard;
}

/** Refuses a file that is not text (an image, a PDF, a binary) with the flag that reads it. */
function checkTextFile(file: string): void {
  let kind: ReturnType<typeof binaryKind>;
  try {
    kind = binaryKind(fileHead(file));
  } catch {
    return; // readUserFile words the failure
  }
  if (kind === 'image') throw new UsageError(`${file} is an image, not a text file`, `read the codes in a screenshot with --image ${file}`);
  if (kind === 'pdf') {
    throw new UsageError(`${file} is a PDF, not a text file`, 'copy its text and pipe it in, or take a screenshot of the codes and give it with --image');
  }
  if (kind === 'binary') throw new UsageError(`${file} is not a text file`, 'give the codes as text with --file, or a screenshot of them with --image');
}

async function collectInput(context: CommandContext, options: AddCommandOptions): Promise<Input> {
  const sources = [options.file !== undefined, options.image !== undefined, options.fromClipboard === true].filter(Boolean).length;
  if (sources > 1) throw new UsageError('choose one of --file, --image and --from-clipboard');
  if (options.image !== undefined) {
    // OCR output is never stored unseen: without a terminal to show it on, only --yes lets a sure reading through.
    if (!hasTerminal() && !options.yes) {
      throw new UsageError('codes read from an image must be seen before they are stored: refused without a terminal', 'add --yes to store a reading that several OCR passes agree on');
    }
    const { readImage } = await import('../ocr.js');
    context.say('reading the image with tesseract...');
    const reading = await readImage(options.image, context.settings.childEnvironment, context.io.env['TESSDATA_PREFIX']);
    return { text: '', recognition: reading.recognition, source: `image:${path.basename(options.image)}` };
  }
  if (options.file !== undefined) {
    checkTextFile(options.file);
    return { text: readUserFile(options.file), source: `file:${path.basename(options.file)}`, fileName: options.file };
  }
  if (options.fromClipboard) {
    const clipboard = await openClipboard(context);
    return { text: await clipboard.read(), source: 'clipboard', clipboard };
  }
  if (!context.io.stdinIsTty) return { text: await context.readStdin(), source: 'stdin' };
  return { text: await typedLines('Paste or type the codes, then an empty line (Ctrl+D also ends, Ctrl+C cancels).'), source: 'typed' };
}

/** What to do about an empty input, for the place it came from. */
function emptyHint(options: AddCommandOptions): string {
  if (options.file !== undefined) return `${options.file} is empty: give the file the service let you download, or pipe the codes in`;
  if (options.fromClipboard) return 'the clipboard is empty: copy the codes first (the service\'s "Copy" button), then run this again';
  return 'pipe the codes on standard input, or pass --file PATH, --image PATH or --from-clipboard';
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
    name: candidateChoice(index, candidate.code, candidate.line, candidate.used, candidate.doubt),
    value: String(index),
    checked: candidate.doubt === null,
  }));
  const picked = await askCheckbox('Which of these are backup codes? (space ticks, enter confirms)', choices);
  if (picked.length === 0) throw new Cancelled();
  return picked.map((index) => recognition.candidates[Number(index)]).flatMap((c) => (c ? [{ code: c.code, used: c.used }] : []));
}

/**
 * The codes of a reading: a confident one as it is, an unsure one picked by hand. On a terminal the
 * codes are always listed first, numbered, with their used marks, and storing them is asked unless
 * `--yes` was given (an image is always asked: OCR output is never stored unseen).
 */
async function codesOf(context: CommandContext, recognition: Recognition, accountName: string, yes: boolean, fromImage: boolean): Promise<IncomingCode[]> {
  if (recognition.confidence === 'none') {
    throw new CliError(recognition.explanation, { hint: 'give the codes one per line, or the file the service let you download with --file' });
  }
  if (recognition.confidence === 'ambiguous') return pickCandidates(context, recognition);
  const used = recognition.codes.filter((code) => code.used).length;
  const count = recognition.codes.length;
  context.say(`recognized ${recognition.label}: ${count} code${count === 1 ? '' : 's'}${used > 0 ? ` (${used} marked as used)` : ''}`);
  if (hasTerminal()) {
    tellTerminal(renderReading(`read for ${accountName}:`, recognition.codes));
    const question = `Store ${count === 1 ? 'it' : `these ${count} codes`} for ${accountName}?`;
    if ((!yes || fromImage) && !(await askConfirm(question, true))) throw new Cancelled();
  }
  return [...recognition.codes];
}

/**
 * On a terminal, an account name that is new but close to an existing one (a prefix of it, or a typo)
 * asks "did you mean"; the answer is the name to add to.
 */
async function chooseAccount(content: VaultContent, accountName: string): Promise<string> {
  if (findAccountExact(content, accountName) || !hasTerminal()) return accountName;
  const near = nearestNames(
    content.accounts.map((account) => account.name),
    accountName,
  ).slice(0, 5);
  const [first] = near;
  if (!first) return accountName;
  const choices = [...near.map((name) => ({ name: `add to ${name}`, value: `=${name}` })), { name: `create a new account "${accountName}"`, value: `+${accountName}` }];
  const picked = await askSelect(`There is no account "${accountName}". Did you mean ${first}?`, choices);
  return picked.slice(1);
}

/**
 * A batch that looks like a mistake is asked about (refused without a terminal unless --yes): codes that
 * another account already holds, or a file of one service added to an account of another.
 */
async function checkDuplicates(
  context: CommandContext,
  content: VaultContent,
  accountName: string,
  codes: readonly IncomingCode[],
  service: string | undefined,
  yes: boolean | undefined,
): Promise<void> {
  const holders = holdersOf(
    content,
    accountName,
    codes.map((code) => code.code),
  );
  const [holder] = holders;
  if (holder) {
    const where = holders.map((h) => `${h.account}${h.active ? '' : ' (in an old batch)'}`).join(', ');
    const share = holder.codes === codes.length ? `${codes.length === 1 ? 'this code' : `all ${codes.length} codes`}` : `${holder.codes} of these ${codes.length} codes`;
    await context.confirm(
      {
        question: `${share[0]?.toUpperCase()}${share.slice(1)} already belong to ${where}. Store them for ${accountName} too?`,
        refusal: `${share} already belong to ${where}, so this is likely the wrong account`,
      },
      yes,
    );
  }
  const account = findAccountExact(content, accountName);
  if (service && account?.service && account.service !== service) {
    await context.confirm(
      {
        question: `These look like ${service} codes, but ${account.name} is a ${account.service} account. Store them anyway?`,
        refusal: `these look like ${service} codes, but ${account.name} is a ${account.service} account`,
      },
      yes,
    );
  }
}

/** `lifeboat add <account>`: recognizes the codes, then stores them, superseding, merging or refusing as the model decides. */
export async function add(context: CommandContext, accountName: string, options: AddCommandOptions): Promise<void> {
  // What can be checked before anything is typed is checked first (issue 9): the name, then the vault.
  validateAccountName(accountName);
  await context.requireVault();
  const input = await collectInput(context, options);
  if (input.recognition === undefined && input.text.trim() === '') throw new CliError('no codes were given', { hint: emptyHint(options) });
  const recognition = input.recognition ?? recognize(input.text, input.fileName !== undefined ? { fileName: input.fileName } : {});
  await context.withVault(async (vault) => {
    accountName = await chooseAccount(vault.content, accountName);
    const codes = await codesOf(context, recognition, accountName, options.yes ?? false, input.recognition !== undefined);
    const service = recognition.confidence !== 'none' && recognition.service ? SERVICE_NAMES[recognition.service] : undefined;
    await checkDuplicates(context, vault.content, accountName, codes, service, options.yes);
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
    const outcome = await vault.update((content) => {
      const { vault: next, outcome } = addBatch(content, accountName, codes, addOptions, context.change());
      const details = { service: outcome.account.service ? undefined : service, username: options.username };
      return { content: describeAccount(next, outcome.account.id, details, context.change()), result: outcome };
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
