import { renameAccount, validateAccountName } from '../../domain/index.js';
import type { CommandContext } from '../context.js';

/** `lifeboat rename <old> <new>`. */
export async function rename(context: CommandContext, query: string, newName: string): Promise<void> {
  validateAccountName(newName); // before the passphrase is asked for (issue 9)
  await context.withVault(async (vault) => {
    const name = await context.accountName(vault.content, query);
    const outcome = await vault.update((content) => {
      const result = renameAccount(content, name, newName, context.change());
      return { content: result.vault, result };
    });
    context.say(`renamed ${outcome.oldName} to ${outcome.account.name}`);
  });
}
