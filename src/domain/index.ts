/**
 * The pure model of lifeboat: accounts, batches and codes, and every change they can go through.
 * No I/O, no clock, no randomness: callers pass `now` and an id source.
 */
export type { Account, Batch, Code, CodeState, Tombstone, VaultContent } from './model.js';
export { emptyVault } from './model.js';
export { DomainError, type DomainErrorKind } from './errors.js';
export { codeKey, displayCode, normalizeText } from './code-text.js';
export {
  activeBatch,
  batchFingerprint,
  batchesForDisplay,
  compareNames,
  findAccountExact,
  isActive,
  matchAccounts,
  remainingCodes,
  resolveAccount,
  supersededSince,
  validateAccountName,
} from './accounts.js';
export {
  addBatch,
  checkCode,
  day,
  describeAccount,
  markCopied,
  markPrinted,
  removeAccount,
  renameAccount,
  spendCode,
  unspendCode,
  useNextCode,
  when,
  type AddOptions,
  type AccountDetails,
  type AddOutcome,
  type CheckMatch,
  type CheckResult,
  type Context,
  type IncomingCode,
  type MarkOutcome,
} from './transitions.js';
export { editAccount, type AccountEdit, type EditedField } from './edit.js';
export { LOW_FRACTION, batchSupply, handedOutSuperseded, type BatchSupply, type HandedOutBatch } from './attention.js';
export { removedIds, withFreshIds } from './restore.js';
export { mergeVaults, type MergeSummary } from './merge.js';
export { mergeCopies, type SyncReport } from './sync.js';
