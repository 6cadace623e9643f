/**
 * The model inside a vault, as it is once decrypted (docs/vault-format.md, section 5 "Content").
 *
 * It is built so that two diverged copies of a vault can later be merged without losing anything:
 * every account and batch has a stable random id, states only move forward (unspent to spent, active
 * to superseded), and a removal leaves a tombstone that holds only the id and the removal time.
 * All times are ISO 8601 strings in UTC.
 *
 * Values are never changed in place: a change makes new objects and shares the rest. Whole-vault work relies
 * on it: the keys of a batch's codes are computed once per batch object (code-text.ts), and a save checks
 * again only the accounts that are not the very objects it read (validate.ts).
 */

/**
 * A logical time that orders changes made on different devices without trusting their clocks (a Lamport
 * stamp): the counter `n` first, then the device id `d`. `{ n: 0, d: '' }` stands for "before any
 * stamped change" (content written before stamps existed).
 */
export interface Stamp {
  readonly n: number;
  readonly d: string;
}

/**
 * One spend of a code. A code may be spent, unspent and spent again, and two devices may spend it while
 * apart, so each spend is an event with an id of its own; `unspend` undoes the spends it has seen and
 * never one it has not (docs/vault-format.md, "Merging copies", rule M3).
 */
export interface SpendMark {
  readonly id: string;
  /** When the code was spent. */
  readonly at: string;
  /** When an `unspend` undid this spend, or null while it stands. Only ever moves from null to a time. */
  readonly undoneAt: string | null;
}

/** One backup code, as the service displays it, and when it was spent. */
export interface Code {
  /** The normalized display form (see `displayCode`). */
  readonly code: string;
  /** When the code was used, or null while it still works: the earliest spend that was not undone. */
  readonly spentAt: string | null;
  /**
   * Every spend of this code (see `SpendMark`). Absent in content written before version 2 and in
   * hand-built values: then `spentAt` alone stands for one spend (see `marksOf`).
   */
  readonly marks?: readonly SpendMark[];
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
  /**
   * The logical time the batch was added: which batch is active is decided by it, not by the wall
   * clock. Absent (legacy) means `{ n: 0, d: '' }`: such batches are ordered by `addedAt`.
   */
  readonly seq?: Stamp;
}

/** The fields of an account a user can change, each with the stamp of its last change. */
export interface AccountStamps {
  readonly name: Stamp;
  readonly service: Stamp;
  readonly username: Stamp;
  readonly note: Stamp;
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
  /** When each changeable field last changed (absent: never since stamps exist). */
  readonly stamps?: AccountStamps;
}

/** What is left of a removed account: its id, when it went, and the batches the removal saw. */
export interface Tombstone {
  readonly id: string;
  readonly removedAt: string;
  /**
   * The ids of the account's batches at the time of removal. A batch added on another device that the
   * removal never saw survives a merge (rule M5). Absent (legacy): the removal covers every batch.
   */
  readonly batches?: readonly string[];
}

/** The whole decrypted content of a vault. */
export interface VaultContent {
  readonly accounts: readonly Account[];
  readonly tombstones: readonly Tombstone[];
  /**
   * How many changes each device has saved, by device id (a version vector). It orders stamps (the next
   * stamp is one more than its largest value) and lets a device notice a copy that went back in time.
   * Absent: no change was saved since version 2.
   */
  readonly clock?: Readonly<Record<string, number>>;
}

/** A fresh, empty vault. */
export function emptyVault(): VaultContent {
  return { accounts: [], tombstones: [] };
}

/** Where a code stands. */
export type CodeState = 'unspent' | 'spent' | 'superseded';
