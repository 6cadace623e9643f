import fs from 'node:fs';
import path from 'node:path';
import type { VaultContent } from '../../domain/index.js';
import {
  DEFAULT_COST,
  VaultError,
  contentToJson,
  createFile,
  isBelowFloor,
  recordExport,
  replaceFile,
  wipe,
  writeVaultCopy,
} from '../../vault/index.js';
import { contentToCsv } from '../../output/csv.js';
import { describeCost } from '../../output/text.js';
import { terminalJson } from '../../output/sanitize.js';
import type { CommandContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { obtainPassphrase } from '../passphrase.js';

/** Options of `lifeboat export`, as commander hands them over. */
export interface ExportOptions {
  readonly out?: string;
  readonly plaintext?: boolean;
  readonly format?: string;
  readonly force?: boolean;
}

/**
 * `lifeboat export`: an encrypted copy for an off-site backup (`--out FILE`, the vault format under a
 * passphrase of its own), or, only with `--plaintext`, every account, batch and code as JSON or CSV.
 * An `--out` file is created 0600, never replaces an existing name without `--force`, and is never
 * written through a symlink (with `--force`, a symlink at that name is itself replaced).
 */
export async function exportVault(context: CommandContext, options: ExportOptions): Promise<void> {
  const format = options.format ?? 'json';
  if (!options.out && !options.plaintext) {
    throw new UsageError(
      'export needs --out FILE (an encrypted copy) or --plaintext (every code in the clear)',
      'run `lifeboat export --out FILE` for a backup, or `lifeboat export --plaintext --format json|csv` to move elsewhere',
    );
  }
  if (format !== 'json' && format !== 'csv') {
    throw new UsageError(`unknown format "${format}"`, 'use --format json or --format csv');
  }
  if (options.format !== undefined && !options.plaintext) {
    throw new UsageError('--format needs --plaintext: an encrypted export is always in the vault format', 'add --plaintext, or leave out --format');
  }
  const out = options.out === undefined ? undefined : path.resolve(options.out);
  // Checked before any passphrase is asked for; the write itself refuses again, atomically.
  if (out !== undefined && !options.force) refuseExisting(out);

  await context.withVault(async (vault) => {
    const content = vault.content;
    if (options.plaintext) {
      // The JSON is the plaintext byte for byte (docs/decrypt.py prints the same), except on a terminal, where
      // control and format characters become \u escapes: the same data, nothing that drives the terminal.
      const json = contentToJson(content, 2);
      const text = format === 'csv' ? contentToCsv(content) : `${out === undefined && context.io.stdoutIsTty ? terminalJson(json) : json}\n`;
      context.warn('this export holds every code in plain text: anyone who reads it can use them');
      if (out === undefined) {
        context.out(text);
        return;
      }
      const bytes = Buffer.from(text, 'utf8');
      try {
        writeOut(out, bytes, options.force === true);
      } finally {
        bytes.fill(0);
      }
      context.say(`wrote ${accounts(content)} as ${format.toUpperCase()} to ${out} (mode 600): delete it once it has served`);
      return;
    }

    if (out === undefined) return;
    const { cost } = context.newCost(undefined, isBelowFloor(vault.cost) ? DEFAULT_COST : vault.cost);
    const passphrase = await obtainPassphrase(context.settings.newPassphrase, {
      prefix: 'LIFEBOAT_NEW_PASSPHRASE',
      label: 'Passphrase for the export',
      twice: true,
      warn: (message) => context.warn(message),
    });
    try {
      await writeVaultCopy(out, passphrase, cost, content, options.force === true);
    } catch (error) {
      throw existing(error, out);
    } finally {
      wipe(passphrase);
    }
    try {
      // Remembered beside the vault for `status` and `remove` (src/vault/export-mark.ts).
      recordExport(vault.path, context.now());
    } catch {
      context.warn('the export was written, but the time of it could not be noted beside the vault');
    }
    context.say(`wrote an encrypted copy of ${accounts(content)} to ${out} (mode 600, key derivation: ${describeCost(cost)})`);
    context.say(`it opens with the passphrase you gave for the export, not the vault's: \`lifeboat import ${out}\` merges it back`);
  });
}

function accounts(content: VaultContent): string {
  const count = content.accounts.length;
  return `${count} account${count === 1 ? '' : 's'}`;
}

/** Refuses an existing name, a symlink (even a dangling one) included. */
function refuseExisting(file: string): void {
  let exists = true;
  try {
    fs.lstatSync(file);
  } catch {
    exists = false;
  }
  if (exists && fs.lstatSync(file).isDirectory()) {
    throw new CliError(`${file} is a folder, not a file: nothing was written`, { hint: `give a file name, such as ${path.join(file, 'codes.txt')}` });
  }
  if (exists) throw alreadyThere(file);
}

function alreadyThere(file: string): CliError {
  return new CliError(`${file} already exists: nothing was written`, { hint: 'choose another --out file, or add --force to replace it' });
}

/** Turns the vault room's "exists" refusal into the command's own wording. */
function existing(error: unknown, file: string): unknown {
  return error instanceof VaultError && error.kind === 'exists' ? alreadyThere(file) : error;
}

/** Writes a plain-text export: a new file, or with `force` a replaced name (a symlink there is replaced, not followed). */
function writeOut(file: string, bytes: Uint8Array, force: boolean): void {
  try {
    if (force) replaceFile(file, bytes);
    else createFile(file, bytes);
  } catch (error) {
    throw existing(error, file);
  }
}
