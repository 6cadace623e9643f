import { batchSupply, remainingCodes, unspendCode, useNextCode, type Batch } from '../../domain/index.js';
import { checkQrTarget, clearNote, drawQr, openClipboard, type Clipboard } from '../channels.js';
import type { CommandContext } from '../context.js';

/** Options of `lifeboat use`. */
export interface UseOptions {
  readonly copy?: boolean;
  readonly qr?: boolean;
  readonly force?: boolean;
}

/**
 * `lifeboat use <account>`: marks the next code spent, and only once that mark is durably saved, hands it
 * out (a crash can never hand out a code the vault still shows as unspent). With --copy the clipboard is
 * checked first; if the copy still fails, the mark is undone with a second save.
 */
export async function use(context: CommandContext, query: string, options: UseOptions): Promise<void> {
  if (options.qr) checkQrTarget(context, options.force);
  const clipboard: Clipboard | undefined = options.copy ? await openClipboard(context) : undefined;
  await context.withVault(async (vault) => {
    const name = await context.accountName(vault.content, query);
    const handed = await vault.update((content) => {
      const result = useNextCode(content, name, context.change());
      return { content: result.vault, result };
    });
    const account = handed.account.name;
    if (clipboard) {
      try {
        const seconds = await clipboard.copy(handed.code);
        context.say(`copied the code for ${account}; ${clearNote(seconds)}`);
      } catch (error) {
        await vault.update((content) => ({ content: unspendCode(content, account, handed.code).vault, result: undefined }));
        context.warn(`the copy failed, so the code was marked unspent again`);
        throw error;
      }
    }
    if (options.qr) await drawQr(context, handed.code);
    if (!clipboard && !options.qr) context.out(handed.code);
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
