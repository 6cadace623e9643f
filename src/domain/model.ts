/**
 * The model inside a vault, as it is once decrypted (docs/vault-format.md, section 5 "Content").
 *
 * It is built so that two diverged copies of a vault can later be merged without losing anything:
 * every account and batch has a stable random id, states only move forward (unspent to spent, active
 * to superseded), and a removal leaves a tombstone that holds only the id and the removal time.
 * All times are ISO 8601 strings in UTC.
 */

/** One backup code, as the service displays it, and when it was spent. */
export interface Code {
  /** The normalized display form (see `displayCode`). */
  readonly code: string;
  /** When the code was used, or null while it still works. */
  readonly spentAt: string | null;
}

/** One batch of codes that a service issued at once. */
export interface Batch {
  readonly id: string;
  readonly addedAt: string;
  /** Where the codes came from: `typed`, `stdin`, `file:<name>`, `clipboard`, `import`. */
  readonly source: string;
  /** When a newer batch replaced this one (the service no longer accepts its codes), or null. */
  readonly supersededAt: string | null;
  /** When the batch was last printed on a sheet, so that replacing it can call the sheet in. */
  readonly printedAt: string | null;
  /** When its unspent codes were last copied or shown as a QR code in full, for the same reason. */
  readonly copiedAt: string | null;
  readonly codes: readonly Code[];
}

/** One account at one service, such as `instagram` or `github:work`. */
export interface Account {
  readonly id: string;
  /** Unique among the vault's accounts, compared case-insensitively. */
  readonly name: string;
  readonly service: string | null;
  readonly username: string | null;
  readonly note: string | null;
  readonly createdAt: string;
  readonly batches: readonly Batch[];
}

/** What is left of a removed account or batch: its id and when it went. */
export interface Tombstone {
  readonly id: string;
  readonly removedAt: string;
}

/** The whole decrypted content of a vault. */
export interface VaultContent {
  readonly accounts: readonly Account[];
  readonly tombstones: readonly Tombstone[];
}

/** A fresh, empty vault. */
export function emptyVault(): VaultContent {
  return { accounts: [], tombstones: [] };
}

/** Where a code stands. */
export type CodeState = 'unspent' | 'spent' | 'superseded';
