import { useNextCode } from '../../domain/index.js';
import { FEW_LEFT } from '../../output/text.js';
import type { CommandContext } from '../context.js';

/** Options of `lifeboat use`. */
export interface UseOptions {
  readonly copy?: boolean;
  readonly qr?: boolean;
  readonly force?: boolean;
}

/**
 * `lifeboat use <account>`: marks the next code spent, and only once that mark is durably saved, prints it
 * (a crash can never hand out a code the vault still shows as unspent).
 */
export async function use(context: CommandContext, query: string, options: UseOptions): Promise<void> {
  await context.withVault(async (vault) => {
    const handed = await vault.update((content) => {
      const result = useNextCode(content, query, context.change());
      return { content: result.vault, result };
    });
    context.out(handed.code);
    warnRemaining(context, handed.account.name, handed.remaining);
  });
}

/** The warnings after a code was handed out: few left, none left. */
export function warnRemaining(context: CommandContext, account: string, remaining: number): void {
  if (remaining === 0) context.warn(`that was the last code of ${account}: generate new codes at the service, then run \`lifeboat add ${account}\``);
  else if (remaining <= FEW_LEFT) context.warn(`only ${remaining} code${remaining === 1 ? '' : 's'} left for ${account}: generate new codes soon`);
}
