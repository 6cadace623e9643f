import { backupPath, restoreBackup as restore, wipe } from '../../vault/index.js';
import type { CommandContext } from '../context.js';
import { obtainPassphrase } from '../passphrase.js';

/** `lifeboat restore-backup`: puts the backup copy back over a damaged vault, after checking it opens. */
export async function restoreBackup(context: CommandContext, options: { readonly yes?: boolean }): Promise<void> {
  const file = await context.vaultPath();
  await context.confirm(
    { question: `Replace ${file} with its backup ${backupPath(file)}?`, refusal: `this would replace ${file} with its backup` },
    options.yes,
  );
  const passphrase = await obtainPassphrase(context.settings.passphrase, { prefix: 'LIFEBOAT_PASSPHRASE', label: 'Passphrase', twice: false, warn: (message) => context.warn(message) });
  try {
    const content = await restore(file, passphrase, context.vaultOptions());
    context.say(`restored ${file} from its backup (${content.accounts.length} accounts)`);
  } finally {
    wipe(passphrase);
  }
}
