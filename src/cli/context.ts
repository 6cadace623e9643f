import path from 'node:path';
import { DomainError, resolveAccount, type Context, type VaultContent } from '../domain/index.js';
import { MINIMUM_COST, VaultError, openVault, requireVaultFile, wipe, type KdfCost, type OpenVault } from '../vault/index.js';
import { Cancelled, UsageError } from './errors.js';
import { TRIES, obtainPassphrase } from './passphrase.js';
import { TEST_KDF_VARIABLE, type Settings } from './settings.js';
import { hasTerminal } from './terminal.js';
import { askConfirm, askSelect } from './prompts.js';

/** A new random id for an account or a batch: 16 random bytes in hex. */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The process's standard streams, as a command sees them (tests pass their own). */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdinIsTty: boolean;
  readonly stdoutIsTty: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** What every command gets: the streams, the settings, and the few verbs they all share. */
export class CommandContext {
  readonly io: Io;
  readonly settings: Settings;
  private readonly vaultOption: string | undefined;
  private warnedTestKdf = false;

  constructor(io: Io, settings: Settings, vaultOption: string | undefined) {
    this.io = io;
    this.settings = settings;
    this.vaultOption = vaultOption;
  }

  /** Writes data to standard output (codes, tables, JSON): the only thing a pipe sees. */
  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Tells the user something on standard error. */
  say(message: string): void {
    this.io.stderr.write(`lifeboat: ${message}\n`);
  }

  /** Warns the user on standard error. */
  warn(message: string): void {
    const label = this.settings.color ? '\u001b[33mwarning\u001b[0m' : 'warning';
    this.io.stderr.write(`lifeboat: ${label}: ${message}\n`);
  }

  /** The vault's path: --vault, else LIFEBOAT_VAULT, else the OS data folder. */
  async vaultPath(): Promise<string> {
    const chosen = this.vaultOption ?? this.settings.vault;
    if (chosen) return path.resolve(chosen);
    const { default: envPaths } = await import('env-paths');
    return path.join(envPaths('lifeboat', { suffix: '' }).data, 'vault.lifeboat');
  }

  /** The clock and id source every change of the model takes. */
  change(): Context {
    return { now: new Date().toISOString(), newId: () => randomId() };
  }

  /** The current time as the model stores it. */
  now(): string {
    return new Date().toISOString();
  }

  /** The cost for a new vault or passphrase: what was asked, or the test hook's minimum (said on stderr). */
  newCost(requested: KdfCost | undefined, fallback: KdfCost): { cost: KdfCost; allowBelowFloor: boolean } {
    if (this.settings.insecureTestKdf) {
      this.warnTestKdf();
      return { cost: requested ?? MINIMUM_COST, allowBelowFloor: true };
    }
    return { cost: requested ?? fallback, allowBelowFloor: false };
  }

  private warnTestKdf(): void {
    if (this.warnedTestKdf) return;
    this.warnedTestKdf = true;
    this.warn(`${TEST_KDF_VARIABLE} is set: new vaults get an insecure key-derivation cost, for tests only`);
  }

  /** Options for the vault room. With the test hook on, its own warning stands for the weak-cost one. */
  vaultOptions(): { lockTimeoutMs: number; warn: (message: string) => void; warnBelowFloor: boolean } {
    return { lockTimeoutMs: this.settings.lockTimeoutMs, warn: (message) => this.warn(message), warnBelowFloor: !this.settings.insecureTestKdf };
  }

  /**
   * Checks that the vault file is there, then obtains the passphrase and opens the vault, deriving its key
   * once. A passphrase typed on the terminal that is wrong is asked again (three tries, like sudo); one from
   * a variable, file or command is tried once. The caller closes the vault.
   */
  async open(): Promise<OpenVault> {
    if (this.settings.insecureTestKdf) this.warnTestKdf();
    const file = await this.vaultPath();
    requireVaultFile(file);
    const typed = this.settings.passphrase === undefined;
    for (let attempt = 1; ; attempt += 1) {
      const passphrase = await obtainPassphrase(this.settings.passphrase, {
        prefix: 'LIFEBOAT_PASSPHRASE',
        label: 'Passphrase',
        twice: false,
      });
      try {
        return await openVault(file, passphrase, this.vaultOptions());
      } catch (error) {
        if (!typed || attempt >= TRIES || !(error instanceof VaultError) || error.kind !== 'wrong-passphrase') throw error;
        this.say('wrong passphrase: try again');
      } finally {
        wipe(passphrase);
      }
    }
  }

  /**
   * Checks that the vault file is there and readable, before a command asks for anything (a code, a
   * confirmation): typed input is never thrown away for a missing vault.
   */
  async requireVault(): Promise<void> {
    requireVaultFile(await this.vaultPath());
  }

  /** Runs a command on the opened vault and always closes it. */
  async withVault<T>(work: (vault: OpenVault) => Promise<T>): Promise<T> {
    const vault = await this.open();
    try {
      return await work(vault);
    } finally {
      vault.close();
    }
  }

  /**
   * Asks before a step that would lose unspent codes or data. On a terminal: a yes/no prompt (no means
   * cancelled). Without one: refused unless `--yes` was given.
   */
  async confirm(step: { question: string; refusal: string }, yes: boolean | undefined): Promise<void> {
    if (yes) return;
    if (!hasTerminal()) throw new UsageError(`${step.refusal}: refused without a terminal to confirm on`, 'add --yes to go ahead');
    const question = step.question;
    if (!(await askConfirm(question))) throw new Cancelled();
  }

  /**
   * Resolves an account query to its exact name: the name itself or a unique prefix. An ambiguous prefix
   * is an error listing the candidates, or on a terminal a choice among them.
   */
  async accountName(vault: VaultContent, query: string): Promise<string> {
    try {
      return resolveAccount(vault, query).name;
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'ambiguous-account' || !hasTerminal()) throw error;
      const names = error.details.candidates ?? [];
      return askSelect(`"${query}" matches ${names.length} accounts: which one?`, names.map((name) => ({ name, value: name })));
    }
  }

  /** Reads all of standard input as text (codes piped in). */
  async readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
}
