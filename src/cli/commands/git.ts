import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mergeCopies } from '../../domain/index.js';
import { describeNameClashes, describeSyncReport } from '../../output/sync-text.js';
import { VaultError, readVaultWith, wipe, writeVaultCopy, type ReadCopy } from '../../vault/index.js';
import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { obtainPassphrase } from '../passphrase.js';
import { hasTerminal } from '../terminal.js';
import { otherPassphrase, strongerCost } from './merge.js';

/**
 * git integration: `lifeboat git-setup` registers a merge driver for the vault in the repository that holds
 * it, and `lifeboat git-merge-driver` is that driver. git's gitattributes(5), "Defining a custom merge
 * driver": the driver command gets %O (the ancestor's version), %A (the current version), %B (the other
 * branch's version) and %P (the path the result will be stored at); it "is expected to leave the result of
 * the merge in the file named with %A by overwriting it, and exit with zero status if it managed to merge
 * them cleanly, or non-zero if there were conflicts". git runs it for `git merge`, `git pull` and for the
 * picks of `git rebase` alike.
 */

/** The merge driver's name in `.gitattributes` and in `merge.<name>.*`. */
const DRIVER = 'lifeboat';

function git(cwd: string, args: readonly string[]): { status: number | null; stdout: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) {
    throw new CliError(`cannot run git (${(result.error as { code?: string }).code ?? 'error'})`, { hint: 'install git, or put it on PATH' });
  }
  return { status: result.status, stdout: result.stdout.trim() };
}

/** Quotes a word for the POSIX shell git runs the driver with. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command git should run: this very program, by absolute paths, so no PATH lookup is needed. */
function driverCommand(): string {
  const script = process.argv[1] ? fs.realpathSync(process.argv[1]) : 'lifeboat';
  return `${shellQuote(process.execPath)} ${shellQuote(script)} git-merge-driver %O %A %B %P`;
}

/** `lifeboat git-setup`: the `.gitattributes` lines and the repository's `merge.lifeboat.*` config. Idempotent. */
export async function gitSetup(context: CommandContext): Promise<void> {
  const vaultFile = await context.vaultPath();
  const folder = path.dirname(vaultFile);
  if (!fs.existsSync(folder)) throw new CliError(`no folder ${folder} for the vault`, { hint: 'run `lifeboat init` first, or pass --vault PATH' });
  const top = git(folder, ['rev-parse', '--show-toplevel']);
  if (top.status !== 0 || top.stdout === '') {
    throw new CliError(`the vault ${vaultFile} is not inside a git repository`, { hint: 'run `git init` in its folder first, or pass --vault PATH' });
  }
  const root = fs.realpathSync(top.stdout);
  const relative = path.relative(root, fs.realpathSync(folder));
  const name = path.basename(vaultFile);
  // The vault and its backup copy both merge with the driver; -diff and -text because they are binary.
  const pattern = name.endsWith('.lifeboat') ? '*.lifeboat' : `/${path.posix.join(relative.split(path.sep).join('/'), name)}`;
  const lines = [`${pattern} merge=${DRIVER} -diff -text`, `${pattern}.backup merge=${DRIVER} -diff -text`];
  const attributes = path.join(root, '.gitattributes');
  const existing = fs.existsSync(attributes) ? fs.readFileSync(attributes, 'utf8') : '';
  const present = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const missing = lines.filter((line) => !present.has(line));
  if (missing.length > 0) {
    const prefix = existing === '' || existing.endsWith('\n') ? '' : '\n';
    fs.appendFileSync(attributes, `${prefix}${missing.join('\n')}\n`);
    for (const line of missing) context.say(`wrote to ${attributes}: ${line}`);
  } else {
    context.say(`${attributes} already has the lifeboat lines`);
  }
  // Repository-local config: a merge driver is a command, so git never takes it from a cloned file.
  const settings: readonly [string, string][] = [
    [`merge.${DRIVER}.name`, 'lifeboat vault merge'],
    [`merge.${DRIVER}.driver`, driverCommand()],
  ];
  for (const [key, value] of settings) {
    const current = git(root, ['config', '--local', '--get', key]);
    if (current.status === 0 && current.stdout === value) {
      context.say(`git config ${key} is already set`);
      continue;
    }
    if (git(root, ['config', '--local', key, value]).status !== 0) throw new CliError(`git config ${key} failed`, { hint: 'run it by hand to see why' });
    context.say(`set git config ${key} = ${value}`);
  }
  context.say('commit .gitattributes so that every clone merges the vault; run `lifeboat git-setup` once in each clone (the passphrase is never stored in git)');
}

/**
 * `lifeboat git-merge-driver %O %A %B %P`: merges the other branch's vault (%B) into the current one (%A) and
 * writes the result over %A, encrypted with the current side's passphrase and the stronger cost. The ancestor
 * (%O) is not needed: the merge of two copies is decided by what each copy holds. When it cannot unlock either
 * side it exits non-zero and leaves %A as it was, so git reports a conflict and keeps both versions.
 */
export async function gitMergeDriver(context: CommandContext, _ancestor: string, current: string, other: string, pathname: string | undefined): Promise<void> {
  const where = pathname ?? current;
  const passphrase = await obtainPassphrase(context.settings.passphrase, { prefix: 'LIFEBOAT_PASSPHRASE', label: `Passphrase for ${where}`, twice: false });
  try {
    const ours = await readSide(current, [passphrase], where, 'this side');
    let theirs: ReadCopy;
    try {
      theirs = await readVaultWith(other, [passphrase]);
    } catch (error) {
      if (!(error instanceof VaultError && error.kind === 'wrong-passphrase')) throw sideError(error, where, 'the other side');
      if (context.settings.otherPassphrase === undefined && !hasTerminal()) throw sideError(error, where, 'the other side');
      const second = await otherPassphrase(context);
      try {
        theirs = await readSide(other, [second], where, 'the other side');
      } finally {
        wipe(second);
      }
    }
    const { content, report } = mergeCopies(ours.content, theirs.content);
    const cost = strongerCost(ours.cost, theirs.cost);
    await writeVaultCopy(current, passphrase, cost, content, true);
    context.say(`merged ${where}: ${describeSyncReport(report)}`);
    for (const line of describeNameClashes(report)) context.warn(line);
  } finally {
    wipe(passphrase);
  }
}

async function readSide(file: string, passphrases: readonly Uint8Array[], where: string, side: string): Promise<ReadCopy> {
  try {
    return await readVaultWith(file, passphrases);
  } catch (error) {
    throw sideError(error, where, side);
  }
}

function sideError(error: unknown, where: string, side: string): unknown {
  if (!(error instanceof VaultError)) return error;
  const hint = 'git keeps both versions: resolve by hand with `git checkout --ours` or `--theirs`, then `lifeboat merge` the other one';
  const why = error.kind === 'wrong-passphrase' ? 'the passphrase does not open it' : error.message;
  return new CliError(`cannot merge ${where}: ${side} cannot be opened (${why})`, { hint, exitCode: EXIT.unopenable });
}
