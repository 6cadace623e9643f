import { DEFAULT_COST, isAboveDefault, loadCrypto, parseHeader, type KdfCost } from '../vault/index.js';
import type { CommandContext } from './context.js';

/**
 * The key-derivation cost of a file that is not the vault itself (an export given to `import`, later a copy given to
 * `merge`). Its header says how much memory and how many passes Argon2id must spend, up to the cap of 1 GiB and 20
 * passes: a 652-byte file with a wrong passphrase once cost 40 s and 1.1 GB (issue 11, finding 8). Above the default
 * cost lifeboat asks first, before the passphrase and before any derivation.
 */

/**
 * Milliseconds of Argon2id per MiB and pass, rounded up from what this project's machines measured (64 MiB and 3 passes
 * took 0.16–0.28 s, 256 MiB and 3 passes 0.9–1.2 s: /work/shared/DEPENDENCIES.md, section 1; the cap took 40 s):
 * an estimate for the question, not a promise.
 */
const MS_PER_MIB_PASS = 2;

function mebibytes(cost: KdfCost): number {
  return Number((cost.memoryKiB / 1024).toFixed(1));
}

/**
 * Reads the header of `bytes` (the file's content; no key needed) and, when its cost is above the default, asks on a
 * terminal whether to go ahead, or without one refuses unless `yes`. Returns the cost the user agreed to, to be passed
 * to the read so that a file swapped meanwhile cannot ask for more. A header that cannot be parsed is left to the read,
 * which reports it in its own words.
 */
export async function agreeToCost(context: CommandContext, file: string, bytes: Uint8Array, yes: boolean | undefined): Promise<KdfCost> {
  let cost: KdfCost;
  await loadCrypto();
  try {
    cost = parseHeader(bytes).cost;
  } catch {
    return DEFAULT_COST;
  }
  if (!isAboveDefault(cost)) return DEFAULT_COST;
  const seconds = Math.max(1, Math.round((mebibytes(cost) * cost.passes * MS_PER_MIB_PASS) / 1000));
  const asks = `${file} asks for ${mebibytes(cost)} MiB and ${cost.passes} passes of key derivation, about ${seconds} s`;
  await context.confirm(
    {
      question: `${asks}: go ahead?`,
      refusal: `${asks}, more than the default ${mebibytes(DEFAULT_COST)} MiB and ${DEFAULT_COST.passes} passes`,
    },
    yes,
  );
  return cost;
}
