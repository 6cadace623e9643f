import { activeBatch, remainingCodes, supersededSince } from './accounts.js';
import type { Account, Batch } from './model.js';

/**
 * When a batch of codes deserves a word of warning, fitted to the batch's size: services issue anything
 * from one code to sixteen, so a fixed "three left" would call a fresh batch of three (or one) low.
 */

/** A batch is low once it is down to this fraction of its size (or to its last code), whichever comes first. */
export const LOW_FRACTION = 1 / 4;

/** How a batch stands: fine, low (time to generate new codes soon), or out of codes. */
export type BatchSupply = 'fine' | 'low' | 'none';

/**
 * How a batch stands. Never "low" before one of its codes was used, so a service that issues a single code
 * (or three) is not "running low" the moment it is added; then low at its last code, or at a quarter of
 * its size (a batch of 10 at 2 left, of 16 at 4 left).
 */
export function batchSupply(batch: Batch): BatchSupply {
  const remaining = remainingCodes(batch);
  if (remaining === 0) return 'none';
  if (remaining === batch.codes.length) return 'fine';
  return remaining === 1 || remaining <= batch.codes.length * LOW_FRACTION ? 'low' : 'fine';
}

/** A superseded batch that was printed or copied in full: that sheet or copy holds codes that no longer work. */
export interface HandedOutBatch {
  readonly account: Account;
  readonly batch: Batch;
  /** When the service stopped accepting it. */
  readonly supersededAt: string;
}

/**
 * The superseded batches of an account that were printed or copied, superseded at or after `since` (an ISO
 * time): the sheets and copies to destroy. The model cannot record that a sheet was destroyed, so the
 * caller chooses how long such a reminder lasts.
 */
export function handedOutSuperseded(account: Account, since: string): HandedOutBatch[] {
  const active = activeBatch(account);
  return account.batches.flatMap((batch) => {
    if (batch.id === active?.id || (batch.printedAt === null && batch.copiedAt === null)) return [];
    const supersededAt = supersededSince(account, batch);
    return supersededAt !== null && supersededAt >= since ? [{ account, batch, supersededAt }] : [];
  });
}
