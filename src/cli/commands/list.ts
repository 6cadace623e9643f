import { listEntries, renderJson, renderList } from '../../output/text.js';
import type { CommandContext } from '../context.js';

/** `lifeboat list`: every account, its codes left and warnings. */
export async function list(context: CommandContext, options: { readonly json?: boolean }): Promise<void> {
  await context.withVault(async (vault) => {
    const entries = listEntries(vault.content);
    context.out(options.json ? renderJson(entries) : renderList(entries));
  });
}
