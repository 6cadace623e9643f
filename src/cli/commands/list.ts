import { settleSpentDuplicates } from '../../domain/index.js';
import { listEntries, renderJson, renderList } from '../../output/text.js';
import type { CommandContext } from '../context.js';

/** `lifeboat list`: every account, its codes left and warnings. */
export async function list(context: CommandContext, options: { readonly json?: boolean }): Promise<void> {
  await context.withVault(async (vault) => {
    // A code spent under another account is not counted as left here (issue 10).
    const entries = listEntries(settleSpentDuplicates(vault.content));
    // Talk, not data: a script reading stdout sees an empty table, and the user sees the hint (issue 9).
    if (entries.length === 0 && !options.json) {
      context.say('no accounts yet: add one with `lifeboat add <account> < codes.txt`');
      return;
    }
    context.out(options.json ? renderJson(entries) : renderList(entries));
  });
}
