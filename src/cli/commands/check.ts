import { checkCode, settleSpentDuplicates } from '../../domain/index.js';
import { checkJson, renderCheck, renderJson } from '../../output/text.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { typedCode } from '../input.js';

/** `lifeboat check [code]`: where a code stands across every account. Exit 4 when it is unknown. */
export async function check(context: CommandContext, argument: string | undefined, options: { readonly json?: boolean }): Promise<number> {
  return context.withVault(async (vault) => {
    const typed = await typedCode(context, argument);
    // A code spent under one account is spent under every account that holds a copy of it.
    const result = checkCode(settleSpentDuplicates(vault.content), typed);
    context.out(options.json ? renderJson(checkJson(result)) : renderCheck(result));
    return result.state === 'unknown' ? EXIT.nothing : EXIT.ok;
  });
}
