import { resolveAccount } from '../../domain/index.js';
import { renderShow, showJson } from '../../output/text.js';
import type { CommandContext } from '../context.js';

/** Options of `lifeboat show`. */
export interface ShowOptions {
  readonly all?: boolean;
  readonly json?: boolean;
  readonly copy?: boolean;
  readonly qr?: boolean;
  readonly force?: boolean;
}

/** `lifeboat show <account>`: the active batch with spent codes marked; `--all` adds superseded batches. */
export async function show(context: CommandContext, query: string, options: ShowOptions): Promise<void> {
  await context.withVault(async (vault) => {
    const account = resolveAccount(vault.content, query);
    context.out(options.json ? JSON.stringify(showJson(account, options.all ?? false), null, 2) : renderShow(account, options.all ?? false));
  });
}
