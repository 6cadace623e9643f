import { settleSpentDuplicates } from '../../domain/index.js';
import { listEntries, renderJson, renderList } from '../../output/text.js';
import type { CommandContext } from '../context.js';

/** `lifeboat list`: every account, its codes left and warnings. */
export async function list(context: CommandContext, options: { readonly json?: boolean }): Promise<void> {
  await context.withVault(async (vault) => {
    // A code spent under another account is not counted as left here (issue 10).
    const entries = listEntries(settleSpentDuplicates(vault.content));
    context.out(options.json ? renderJson(entries) : renderList(entries));
  });
}
