/**
 * The pure model of lifeboat: accounts, batches and codes, and every change they can go through.
 * No I/O, no clock, no randomness: callers pass `now` and an id source.
 */
export type { Account, AccountStamps, Batch, Code, CodeState, SpendMark, Stamp, Tombstone, VaultContent } from './model.js';
export { emptyVault } from './model.js';
export { DomainError, type DomainErrorKind } from './errors.js';
export { codeKey, codeKeysOf, displayCode, normalizeText } from './code-text.js';
export {
  activeBatch,
  batchFingerprint,
  batchesForDisplay,
  compareBatches,
  compareNames,
  findAccountExact,
  isActive,
  matchAccounts,
  nameKey,
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
  respend,
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
export { checkExport, mergeVaults, IMPORT_LIMITS, type DetailChange, type ImportOptions, type MergeSummary } from './merge.js';
export { mergeCopies, normalForm, type SyncReport } from './sync.js';
export { spentKeys } from './stamps.js';
export { behindOf, compareStamps, marksOf, mergeClocks, nextStamp, seqOf, stampsOf, tick, LEGACY_MARK_ID, LEGACY_STAMP } from './stamps.js';
export { checkContent, hasHiddenCharacters, repairContent, resolveNameClashes, validateCodeText, MAX_CODE_LENGTH } from './validate.js';
export { holdersOf, settleSpentDuplicates, type Holder } from './duplicates.js';
export { editDistance, nearestNames } from './nearest.js';
export { editAccount, type AccountEdit, type EditedField } from './edit.js';
export { LOW_FRACTION, batchSupply, handedOutSuperseded, type BatchSupply, type HandedOutBatch } from './attention.js';
export { removedIds, withFreshIds } from './restore.js';
