import { spawn } from 'node:child_process';
import { activeBatch, batchesForDisplay, markPrinted, resolveAccount, settleSpentDuplicates, type Account, type VaultContent } from '../../domain/index.js';
import { createFile, replaceFile, VaultError } from '../../vault/index.js';
import type { CommandContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/** Options of `lifeboat print`. */
export interface PrintOptions {
  readonly format: 'text' | 'html';
  readonly out?: string;
  readonly force?: boolean;
  readonly printer?: boolean;
  readonly printerName?: string;
  readonly all?: boolean;
}

/** The accounts to print: those named (prefixes allowed), else every account with an active batch. */
async function chooseAccounts(context: CommandContext, vault: VaultContent, queries: readonly string[], all: boolean): Promise<Account[]> {
  const named: Account[] = [];
  for (const query of queries) named.push(resolveAccount(vault, await context.accountName(vault, query)));
  const accounts = queries.length > 0 ? named : vault.accounts.filter((account) => activeBatch(account));
  const unique = [...new Map(accounts.map((account) => [account.id, account])).values()];
  const printable = unique.filter((account) => activeBatch(account) || (all && account.batches.length > 0));
  if (printable.length === 0) {
    const why = unique.length === 0 ? 'no account has codes to print' : `${unique.map((a) => a.name).join(', ')} ha${unique.length === 1 ? 's' : 've'} no active batch`;
    throw new CliError(why, { hint: 'add codes with `lifeboat add`, or pass --all to print superseded batches', exitCode: EXIT.nothing });
  }
  return printable;
}

/** Writes the sheet to a new 0600 file (or over an existing one with --force), never through a symlink. */
function writeSheet(file: string, sheet: string, force: boolean): void {
  const bytes = new TextEncoder().encode(sheet);
  try {
    if (force) replaceFile(file, bytes);
    else createFile(file, bytes);
  } catch (error) {
    if (error instanceof VaultError && error.kind === 'exists') throw new CliError(`${file} already exists`, { hint: 'choose another --out file, or add --force to replace it' });
    if (error instanceof VaultError) throw new CliError(error.message, error.hint !== undefined ? { hint: error.hint } : {});
    throw error;
  }
}

/** Pipes the text sheet to `lp` from memory: no temp file of ours (CUPS keeps its own spool copy). */
function sendToPrinter(sheet: string, printerName: string | undefined): Promise<void> {
  const args = printerName ? ['-d', printerName] : [];
  return new Promise((resolve, reject) => {
    const child = spawn('lp', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new CliError('cannot print: the lp command was not found', { hint: 'install CUPS (Debian: apt-get install cups-client), or use --out to save the sheet' })
          : new CliError(`cannot run lp (${error.code ?? 'error'})`),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new CliError(`lp failed (exit status ${code ?? 'signal'})${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`, { hint: 'check the printer with `lpstat -p`' }));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(sheet);
  });
}

/**
 * `lifeboat print [account...]`: a paper sheet per account, to stdout, a 0600 file, or the printer.
 * Every batch printed remembers the date, so replacing it later can ask for the sheet to be destroyed.
 */
export async function print(context: CommandContext, queries: readonly string[], options: PrintOptions): Promise<void> {
  const toPrinter = options.printer === true || options.printerName !== undefined;
  if (toPrinter && options.format !== 'text') throw new UsageError('the printer takes the text sheet', 'drop --format html, or save it with --out and print it from a browser');
  if (toPrinter && options.out) throw new UsageError('choose either --out or --printer');
  await context.withVault(async (vault) => {
    const all = options.all ?? false;
    // One code is one code: a copy spent under another account is printed as used (issue 10).
    const accounts = await chooseAccounts(context, settleSpentDuplicates(vault.content), queries, all);
    const { renderSheet } = await import('../../output/sheet.js');
    const printedAt = context.now();
    const sheet = renderSheet(accounts, { format: options.format, printedAt, includeSuperseded: all });
    if (options.out) {
      writeSheet(options.out, sheet, options.force ?? false);
      context.warn(`${options.out} holds the codes in plain text: print it, then delete it`);
    } else if (toPrinter) {
      await sendToPrinter(sheet, options.printerName);
      context.say(`sent ${accounts.length} sheet${accounts.length === 1 ? '' : 's'} to the printer; CUPS keeps a spool copy until the job is done`);
    } else {
      // Waited for: a sheet that never reached standard output is not marked printed.
      await context.deliver(sheet);
    }
    // Only a sheet that reaches paper or a file the user named, or a terminal they read, counts as printed:
    // `print | head` or `print > /dev/null` must not make a later replacement ask for a sheet that never was.
    if (!options.out && !toPrinter && !context.io.stdoutIsTty) {
      context.say('not marked as printed: standard output is not a terminal (use --out FILE or --printer to keep a record)');
      return;
    }
    const printed = accounts.flatMap((account) => (all ? batchesForDisplay(account) : [activeBatch(account)]).flatMap((batch) => (batch ? [{ account, batch }] : [])));
    await vault.update((content) => ({
      content: printed.reduce((next, { account, batch }) => markPrinted(next, account.id, batch.id, { now: printedAt }), content),
      result: undefined,
    }));
  });
}
