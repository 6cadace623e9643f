import type { Context } from './transitions.js';
import type { VaultContent } from './model.js';

/**
 * Bringing back an account that was removed from a vault, from an export that still holds it. The vault
 * keeps a tombstone for the removed id so that merging copies never resurrects it by accident; a restore
 * the user asked for therefore comes back as a new account, with a fresh id, and the tombstone stays (a copy
 * that merges later keeps the restored account, since its id is new). Its batches keep their ids, and so
 * their fingerprints, which match a printed sheet, unless a batch's own id is a tombstone too.
 */

/** The ids of a vault's removed accounts (its tombstones). */
export function removedIds(vault: VaultContent): ReadonlySet<string> {
  return new Set(vault.tombstones.map((tombstone) => tombstone.id));
}

/**
 * The incoming content with the accounts whose ids are removed here (`removed`, see `removedIds`) given a
 * fresh id, ready for `mergeVaults` to add them as new accounts; a batch whose id was removed gets a fresh
 * one too. Other accounts are left as they are.
 */
export function withFreshIds(incoming: VaultContent, removed: ReadonlySet<string>, context: Pick<Context, 'newId'>): VaultContent {
  return {
    ...incoming,
    accounts: incoming.accounts.map((account) =>
      removed.has(account.id)
        ? {
            ...account,
            id: context.newId(),
            batches: account.batches.map((batch) => (removed.has(batch.id) ? { ...batch, id: context.newId() } : batch)),
          }
        : account,
    ),
  };
}
