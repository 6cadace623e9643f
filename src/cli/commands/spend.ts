import { codeKey, settleSpentDuplicates, spendCode, unspendCode, type MarkOutcome } from '../../domain/index.js';
import type { CommandContext } from '../context.js';
import { typedCode } from '../input.js';
import { warnRemaining } from './use.js';

/** `lifeboat spend <account> [code]`: marks the code typed at a login screen as spent. */
export async function spend(context: CommandContext, query: string, argument: string | undefined): Promise<void> {
  // Inputs first, then the passphrase, in every command (issue 9); the vault's presence before either.
  await context.requireVault();
  const typed = await typedCode(context, argument);
  await context.withVault(async (vault) => {
    const name = await context.accountName(vault.content, query);
    // One code is one code: its copies under other accounts get the same spend (issue 10, "Duplicates across accounts").
    const outcome = await vault.update((content) => {
      const result = spendCode(content, name, typed, context.change());
      return { content: settleSpentDuplicates(result.vault, new Set([codeKey(typed)])), result };
    });
    context.say(`marked a code of ${outcome.account.name} as spent`);
    if (!outcome.active) context.warn('that code is from a superseded batch: the service no longer accepts it');
    else warnRemaining(context, outcome.account.name, outcome.batch);
  });
}

/** `lifeboat unspend <account> [code]`: undoes a spent mark, for a code handed out but never used. */
export async function unspend(context: CommandContext, query: string, argument: string | undefined): Promise<void> {
  // Inputs first, then the passphrase, in every command (issue 9); the vault's presence before either.
  await context.requireVault();
  const typed = await typedCode(context, argument);
  await context.withVault(async (vault) => {
    const name = await context.accountName(vault.content, query);
    const outcome: MarkOutcome = await vault.update((content) => {
      const result = unspendCode(content, name, typed, context.change());
      return { content: result.vault, result };
    });
    context.say(`marked a code of ${outcome.account.name} as unspent (${outcome.remaining} left)`);
    if (!outcome.active) context.warn('that code is from a superseded batch: the service no longer accepts it');
  });
}
