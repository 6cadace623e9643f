import { checkCode, settleSpentDuplicates } from '../../domain/index.js';
import { checkJson, renderCheck, renderJson } from '../../output/text.js';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { typedCode } from '../input.js';

/** `lifeboat check [code]`: where a code stands across every account. Exit 4 when it is unknown. */
export async function check(context: CommandContext, argument: string | undefined, options: { readonly json?: boolean }): Promise<number> {
  // Inputs first, then the passphrase (issue 9); the vault's presence before either.
  await context.requireVault();
  const typed = await typedCode(context, argument);
  return context.withVault(async (vault) => {
    // A code spent under one account is spent under every account that holds a copy of it.
    const result = checkCode(settleSpentDuplicates(vault.content), typed);
    context.out(options.json ? renderJson(checkJson(result)) : renderCheck(result));
    return result.state === 'unknown' ? EXIT.nothing : EXIT.ok;
  });
}
