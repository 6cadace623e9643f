/**
 * The encrypted vault file: its format (docs/vault-format.md), its crypto, and crash-safe, locked saves.
 */
export { VaultError, UNOPENABLE, type VaultErrorKind } from './errors.js';
export {
  CAP_COST,
  DEFAULT_COST,
  FLOOR_COST,
  MINIMUM_COST,
  decryptVault,
  encryptVault,
  isAboveDefault,
  isBelowFloor,
  looksLikeVault,
  parseHeader,
  type KdfCost,
} from './format.js';
export { contentToJson, parseContent } from './content.js';
export { loadCrypto, wipe } from './crypto.js';
export {
  backupPath,
  checkNewCost,
  createVault,
  openVault,
  openVaultWithKeys,
  readVaultCopy,
  readVaultWith,
  restoreBackup,
  writeVaultCopy,
  type OpenVault,
  type SessionKeys,
  type UpdateResult,
  type VaultOptions,
} from './vault-file.js';
export {
  conflictToolOf,
  findConflictCopies,
  type ConflictCopy,
  type ConflictOutcome,
  type ConflictTool,
  type LeftCopy,
  type MergedCopy,
  type ReadCopy,
} from './conflict-copies.js';
export { createFile, replaceFile, FILE_MODE } from './atomic-file.js';
export { PRIVATE_FILE_MAX_BYTES, deviceId, privateFolder, readPrivateFile, writePrivateFile } from './private-state.js';
export { readSeen, writeSeen, type SeenState } from './rollback.js';
export { exportMarkPath, lastExport, recordExport } from './export-mark.js';
export { requireVaultFile } from './presence.js';
