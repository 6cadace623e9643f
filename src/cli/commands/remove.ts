import { removeAccount, when } from '../../domain/index.js';
import { lastExport } from '../../vault/index.js';
import type { CommandContext } from '../context.js';

/** `lifeboat remove <account>`: removes an account by its exact name, after confirmation. */
export async function remove(context: CommandContext, name: string, options: { readonly yes?: boolean }): Promise<void> {
  await context.withVault(async (vault) => {
    const preview = removeAccount(vault.content, name, context.change());
    const codes = preview.unspent > 0 ? ` and its ${preview.unspent} unspent codes` : '';
    await context.confirm(
      { question: `Remove ${preview.account.name}${codes}? This cannot be undone.`, refusal: `this would remove ${preview.account.name}${codes}` },
      options.yes,
    );
    const outcome = await vault.update((content) => {
      const result = removeAccount(content, name, context.change());
      return { content: result.vault, result };
    });
    context.say(`removed ${outcome.account.name}`);
    // The time of the last encrypted export is kept beside the vault (src/vault/export-mark.ts).
    const exported = lastExport(vault.path);
    if (exported !== null && outcome.account.createdAt <= exported) {
      context.say(`the encrypted export written ${when(exported)} still holds it: \`lifeboat import FILE\` offers to bring it back`);
    } else {
      context.say(`no encrypted export made since ${outcome.account.name} was added is known: it is gone unless you kept another copy`);
    }
  });
}
