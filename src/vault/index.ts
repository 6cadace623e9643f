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
  readVaultCopy,
  restoreBackup,
  writeVaultCopy,
  type OpenVault,
  type UpdateResult,
  type VaultOptions,
} from './vault-file.js';
export { createFile, replaceFile, FILE_MODE } from './atomic-file.js';
export { exportMarkPath, lastExport, recordExport } from './export-mark.js';
export { requireVaultFile } from './presence.js';
