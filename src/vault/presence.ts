import fs from 'node:fs';
import { backupPath } from './vault-file.js';
import { VaultError } from './errors.js';

/**
 * Checks, before any passphrase is asked for, that there is a vault file to open: a missing vault gets the
 * `init` hint (or the `restore-backup` hint when only its backup is left), and a folder or an unreadable
 * file gets its path and what to do, never a bare errno.
 */
export function requireVaultFile(vaultFile: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(vaultFile);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (fs.existsSync(backupPath(vaultFile))) {
        throw new VaultError('missing', `no vault at ${vaultFile}, but its backup ${backupPath(vaultFile)} is there`, 'run `lifeboat restore-backup` to bring it back');
      }
      throw new VaultError('missing', `no vault at ${vaultFile}`, 'run `lifeboat init` to create one, or pass --vault PATH');
    }
    if (code === 'EACCES') {
      throw new VaultError('io', `cannot reach the vault ${vaultFile}: permission denied on a folder on its path`, 'check the folders\' owner and mode with `ls -ld`');
    }
    return; // Anything else is reported by the read itself.
  }
  if (stat.isDirectory()) {
    throw new VaultError('io', `${vaultFile} is a folder, not a vault file`, 'pass --vault with the path of the vault file itself');
  }
  try {
    fs.accessSync(vaultFile, fs.constants.R_OK);
  } catch {
    throw new VaultError('io', `cannot read the vault ${vaultFile}: permission denied`, `check its owner and mode with \`ls -l ${vaultFile}\` (it should be yours, mode 600)`);
  }
}
