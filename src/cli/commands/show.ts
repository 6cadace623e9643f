import { activeBatch, markCopied, resolveAccount, settleSpentDuplicates } from '../../domain/index.js';
import { renderJson, renderShow, showJson } from '../../output/text.js';
import { checkQrTarget, clearNote, drawQrScreens, openClipboard } from '../channels.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/** Options of `lifeboat show`. */
export interface ShowOptions {
  readonly all?: boolean;
  readonly json?: boolean;
  readonly copy?: boolean;
  readonly qr?: boolean;
  readonly force?: boolean;
}

/**
 * `lifeboat show <account>`: the active batch with spent codes marked; `--all` adds superseded batches.
 * `--copy` and `--qr` hand out the unspent codes of the active batch instead (Instagram's "Copy Codes",
 * made safe), and the batch remembers it was handed out in full.
 */
export async function show(context: CommandContext, query: string, options: ShowOptions): Promise<void> {
  if (options.qr) checkQrTarget(context, options.force);
  const clipboard = options.copy ? await openClipboard(context) : undefined;
  await context.withVault(async (vault) => {
    // A code spent under another account shows as spent here too (issue 10), and is never copied out.
    const account = resolveAccount(settleSpentDuplicates(vault.content), await context.accountName(vault.content, query));
    const batch = activeBatch(account);
    if (!clipboard && !options.qr) {
      const all = options.all ?? false;
      context.out(options.json ? renderJson(showJson(account, all)) : renderShow(account, all));
      if (!all && !batch && account.batches.length > 0) {
        const count = account.batches.length;
        context.say(`${account.name} has only superseded batches (${count}): run \`lifeboat show ${account.name} --all\` to see them`);
      }
      return;
    }
    const unspent = batch?.codes.filter((code) => code.spentAt === null).map((code) => code.code) ?? [];
    if (!batch || unspent.length === 0) {
      throw new CliError(`no unspent code left for ${account.name}`, { hint: `run \`lifeboat show ${account.name}\` to see the batch`, exitCode: EXIT.nothing });
    }
    const text = unspent.join('\n');
    if (clipboard) {
      const seconds = await clipboard.copy(text);
      context.say(`copied ${unspent.length} codes of ${account.name}; ${clearNote(seconds)}`);
    }
    if (options.qr) await drawQrScreens(context, unspent);
    await vault.update((content) => ({ content: markCopied(content, account.id, batch.id, context.change()), result: undefined }));
  });
}
