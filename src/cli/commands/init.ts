import { emptyVault } from '../../domain/index.js';
import { DEFAULT_COST, checkNewCost, createVault, wipe, type KdfCost } from '../../vault/index.js';
import { describeCost } from '../../output/text.js';
import type { CommandContext } from '../context.js';
import { obtainPassphrase } from '../passphrase.js';

/** Options of `lifeboat init`. */
export interface InitOptions {
  readonly kdfMemory?: number;
  readonly kdfPasses?: number;
}

/** The key-derivation cost asked for on the command line, if any part of it was. */
export function requestedCost(options: InitOptions, base: KdfCost): KdfCost | undefined {
  if (options.kdfMemory === undefined && options.kdfPasses === undefined) return undefined;
  return { memoryKiB: options.kdfMemory !== undefined ? options.kdfMemory * 1024 : base.memoryKiB, passes: options.kdfPasses ?? base.passes };
}

/** `lifeboat init`: creates the vault; never overwrites one. */
export async function init(context: CommandContext, options: InitOptions): Promise<void> {
  const file = await context.vaultPath();
  const { cost, allowBelowFloor } = context.newCost(requestedCost(options, DEFAULT_COST), DEFAULT_COST);
  checkNewCost(cost, allowBelowFloor);
  const passphrase = await obtainPassphrase(context.settings.passphrase, { prefix: 'LIFEBOAT_PASSPHRASE', label: 'New passphrase', twice: true, warn: (message) => context.warn(message) });
  try {
    await createVault(file, passphrase, cost, emptyVault(), { warn: (message) => context.warn(message) });
  } finally {
    wipe(passphrase);
  }
  context.say(`created ${file} (key derivation: ${describeCost(cost)})`);
  context.say('if you forget the passphrase, nobody can open it: write it down somewhere safe');
}
