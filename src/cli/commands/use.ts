import { activeBatch, batchSupply, codeKeysOf, remainingCodes, resolveAccount, respend, settleSpentDuplicates, unspendCode, useNextCode, type Batch, type VaultContent } from '../../domain/index.js';
import { renderCode } from '../../output/text.js';
import { checkQrTarget, clearNote, drawQr, openClipboard, type Clipboard } from '../channels.js';
import type { CommandContext } from '../context.js';

/** Options of `lifeboat use`. */
export interface UseOptions {
  readonly copy?: boolean;
  readonly qr?: boolean;
  readonly force?: boolean;
  readonly yes?: boolean;
}

/**
 * After a rollback, the next code of an account may be one this device saw spent: never hand it out.
 * With the user's word (a terminal, or --yes), the codes this device saw spent are marked spent again
 * and the next code that still works is handed out.
 */
async function confirmRollback(context: CommandContext, content: VaultContent, name: string, yes: boolean | undefined): Promise<boolean> {
  if (context.rolledBack.size === 0) return false;
  const account = resolveAccount(content, name);
  const batch = activeBatch(account);
  if (!batch || !batch.codes.some((code, i) => code.spentAt === null && context.rolledBack.has(`${batch.id}:${i}`))) return false;
  await context.confirm(
    {
      question: `This device saw ${context.rolledBack.size} code${context.rolledBack.size === 1 ? '' : 's'} spent that this copy shows unspent. Mark them spent again and hand out the next code?`,
      refusal: `the next code of ${account.name} was already spent on this device, but this copy of the vault went back in time`,
    },
    yes,
  );
  return true;
}

/**
 * `lifeboat use <account>`: marks the next code spent, and only once that mark is durably saved, hands it
 * out (a crash can never hand out a code the vault still shows as unspent). With --copy the clipboard is
 * checked first; if the copy still fails, the mark is undone with a second save, and so it is when the
 * code cannot be written to standard output (a full disk, a reader that went away: issue 11, finding 6).
 * The code is printed through the one sanitizer, like everything from data.
 */
export async function use(context: CommandContext, query: string, options: UseOptions): Promise<void> {
  if (options.qr) checkQrTarget(context, options.force);
  const clipboard: Clipboard | undefined = options.copy ? await openClipboard(context) : undefined;
  await context.withVault(async (vault) => {
    const name = await context.accountName(vault.content, query);
    const restore = await confirmRollback(context, vault.content, name, options.yes);
    // One code is one code: a copy spent under another account is never handed out, and handing a code
    // out marks its copies elsewhere spent too (issue 10, "Duplicates across accounts"). Only the codes of
    // the batch a code comes from are settled: the rest of the vault is left as it is.
    const handed = await vault.update((content) => {
      const restored = restore ? respend(content, context.rolledBack, context.change()).vault : content;
      const batch = activeBatch(resolveAccount(restored, name));
      const keys = new Set(batch ? codeKeysOf(batch) : []);
      const result = useNextCode(settleSpentDuplicates(restored, keys), name, context.change());
      return { content: settleSpentDuplicates(result.vault, keys), result };
    });
    const account = handed.account.name;
    // The one way back: a second save that marks the code unspent again, then the reason, then the error.
    const undo = async (warning: string, error: unknown): Promise<never> => {
      await vault.update((content) => ({ content: unspendCode(content, account, handed.code, context.change()).vault, result: undefined }));
      context.warn(warning);
      throw error;
    };
    if (clipboard) {
      try {
        const seconds = await clipboard.copy(handed.code);
        context.say(`copied the code for ${account}; ${clearNote(seconds)}`);
      } catch (error) {
        await undo('the copy failed, so the code was marked unspent again', error);
      }
    }
    try {
      if (options.qr) await drawQr(context, handed.code);
      if (!clipboard && !options.qr) await context.deliver(renderCode(handed.code));
    } catch (error) {
      // A code already in the clipboard was handed out: the mark stands.
      if (clipboard) throw error;
      await undo('the code was not shown, so it was marked unspent again', error);
    }
    warnRemaining(context, account, handed.batch);
  });
}

/** The warnings after a code was handed out: none left, or low for the batch's size (src/domain/attention.ts). */
export function warnRemaining(context: CommandContext, account: string, batch: Batch): void {
  const supply = batchSupply(batch);
  const remaining = remainingCodes(batch);
  if (supply === 'none') context.warn(`that was the last code of ${account}: generate new codes at the service, then run \`lifeboat add ${account}\``);
  else if (supply === 'low') context.warn(`only ${remaining} code${remaining === 1 ? '' : 's'} left for ${account}: generate new codes soon`);
}
