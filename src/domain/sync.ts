import type { VaultContent } from './model.js';
import { mergeVaults } from './merge.js';

/**
 * Merging two copies of the same vault (a conflict copy, the other side of a git merge, `lifeboat merge`).
 * Unlike an import, this is a trusted operation that applies removals and renames both ways.
 *
 * INTERFACE STUB: the rules of docs/vault-format.md ("Merging copies") replace this body; the signature
 * and the report's shape stay.
 */

/** What merging a copy into this vault changed, worded by the command line. Names as they stand after the merge. */
export interface SyncReport {
  /** Accounts this copy did not have. */
  readonly accountsAdded: readonly string[];
  /** Accounts removed on the other side and now removed here. */
  readonly accountsRemoved: readonly string[];
  /** Accounts removed on one side that came back because the other side added batches the removal never saw. */
  readonly accountsRevived: readonly string[];
  /** Accounts whose name changed in the merge. */
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
  /** Accounts whose service, username or note changed in the merge. */
  readonly detailsChanged: readonly string[];
  /** Batches this copy did not have. */
  readonly batchesAdded: number;
  /** Codes unspent here and spent after the merge. */
  readonly codesSpent: number;
  /** Codes spent here and unspent after the merge (an `unspend` on the other side). */
  readonly codesUnspent: number;
  /** Two accounts that ended up with one name: the later one was renamed, and the user should look. */
  readonly nameClashes: readonly { readonly name: string; readonly renamedTo: string }[];
  /** Whether the merged content differs from `ours` at all. */
  readonly changed: boolean;
}

/**
 * Merges two copies of one vault. Deterministic, commutative, associative and idempotent in its content;
 * the report is relative to `ours`.
 */
export function mergeCopies(ours: VaultContent, theirs: VaultContent): { content: VaultContent; report: SyncReport } {
  let n = 0;
  const { vault, summary } = mergeVaults(ours, theirs, { newId: () => `merged-${(n += 1)}` });
  return {
    content: vault,
    report: {
      accountsAdded: summary.accountsAdded,
      accountsRemoved: [],
      accountsRevived: [],
      renamed: [],
      detailsChanged: [],
      batchesAdded: summary.batchesAdded,
      codesSpent: summary.codesNewlySpent,
      codesUnspent: 0,
      nameClashes: [],
      changed: summary.changed,
    },
  };
}
