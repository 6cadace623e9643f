import { DEFAULT_COST, checkNewCost, isBelowFloor, wipe } from '../../vault/index.js';
import { describeCost } from '../../output/text.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { obtainPassphrase } from '../passphrase.js';
import { requestedCost, type InitOptions } from './init.js';

/**
 * `lifeboat passwd`: a new passphrase and salt, the same or a stronger cost (a cost below the floor is
 * raised to the default). The backup is rewritten under the new key too; copies made by sync tools or
 * snapshots still open with the old passphrase.
 */
export async function passwd(context: CommandContext, options: InitOptions): Promise<void> {
  await context.withVault(async (vault) => {
    const current = vault.cost;
    const requested = requestedCost(options, current);
    const { cost, allowBelowFloor } = context.newCost(requested, isBelowFloor(current) ? DEFAULT_COST : current);
    checkNewCost(cost, allowBelowFloor);
    if (!allowBelowFloor && (cost.memoryKiB < current.memoryKiB || cost.passes < current.passes)) {
      throw new UsageError(
        `the new key-derivation cost (${describeCost(cost)}) is lower than the current one (${describeCost(current)})`,
        'passwd keeps the same or a stronger cost: raise --kdf-memory or --kdf-passes',
      );
    }
    const passphrase = await obtainPassphrase(context.settings.newPassphrase, { prefix: 'LIFEBOAT_NEW_PASSPHRASE', label: 'New passphrase', twice: true, warn: (message) => context.warn(message) });
    try {
      await vault.rekey(passphrase, cost);
    } finally {
      wipe(passphrase);
    }
    context.say(`changed the passphrase (key derivation: ${describeCost(cost)}); the backup copy uses it too`);
    context.warn('copies of the vault made by sync tools or snapshots still open with the old passphrase');
    const { endSession } = await import('../session.js');
    if (await endSession(context.settings, { vaultFile: vault.path })) context.say('the unlock session ended: run `lifeboat unlock` to start one with the new passphrase');
    // The current passphrase is asked even during an unlock session: a session lends the key, not the right to change it.
  }, { session: false });
}
