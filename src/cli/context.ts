import fs from 'node:fs';
import path from 'node:path';
import { behindOf, DomainError, mergeClocks, nearestNames, resolveAccount, spentKeys, type Context, type VaultContent } from '../domain/index.js';
import { terminalText } from '../output/sanitize.js';
import { MINIMUM_COST, VaultError, deviceId, openVault, privateFolder, readSeen, requireVaultFile, wipe, writeSeen, type KdfCost, type OpenVault, type SeenState } from '../vault/index.js';
import { Cancelled, CliError, UsageError, outputFailure } from './errors.js';

import { TRIES, obtainPassphrase } from './passphrase.js';
import { TEST_KDF_VARIABLE, type Settings } from './settings.js';
import { hasTerminal } from './terminal.js';
import { askConfirm, askSelect } from './prompts.js';
import type { ConflictOutcome } from '../vault/index.js';
import { noticeConflictCopies, sayConflictOutcome } from './conflicts.js';

/** Whether two version vectors are equal. */
function sameClock(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>> | undefined): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b ?? {}).length && keys.every((key) => a[key] === b?.[key]);
}

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
  /** Set once something was said about the conflict copies beside the vault, so it is said once. */
  conflictsSpoken = false;
  readonly io: Io;
  readonly settings: Settings;
  private readonly vaultOption: string | undefined;
  private warnedTestKdf = false;
  private deviceCache: string | undefined;
  private warnedStateFolder = false;

  constructor(io: Io, settings: Settings, vaultOption: string | undefined) {
    this.io = io;
    this.settings = settings;
    this.vaultOption = vaultOption;
  }

  /** Writes data to standard output (codes, tables, JSON): the only thing a pipe sees. */
  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /**
   * Writes data to standard output and waits until it was written: a code or a sheet whose hand-over
   * matters. Throws a CliError when the write fails (a full disk, a reader that went away).
   */
  async deliver(text: string): Promise<void> {
    const chunk = text.endsWith('\n') ? text : `${text}\n`;
    await new Promise<void>((resolve, reject) => {
      this.io.stdout.write(chunk, (error?: Error | null) => (error ? reject(outputFailure(error)) : resolve()));
    });
  }

  /** Tells the user something on standard error. Names from data in it are made safe by the one sanitizer. */
  say(message: string): void {
    this.io.stderr.write(`lifeboat: ${terminalText(message)}\n`);
  }

  /** Warns the user on standard error, as safely as `say`. */
  warn(message: string): void {
    const label = this.settings.color ? '\u001b[33mwarning\u001b[0m' : 'warning';
    this.io.stderr.write(`lifeboat: ${label}: ${terminalText(message)}\n`);
  }

  /**
   * The vault's path: --vault, else LIFEBOAT_VAULT, else the OS data folder. On Linux and the other
   * XDG systems that is `$XDG_DATA_HOME/lifeboat`, else `$HOME/.local/share/lifeboat` (env-paths' own
   * rule), with an empty or relative variable taken as unset; with no usable base, a clear refusal rather
   * than a vault under the current folder (issue 11, finding 9).
   */
  async vaultPath(): Promise<string> {
    const chosen = this.vaultOption ?? this.settings.vault;
    if (chosen) return path.resolve(chosen);
    const noBase = new UsageError(
      'no folder for the vault: HOME is unset, empty or not an absolute path',
      'set HOME (or XDG_DATA_HOME) to an absolute path, or name the vault with --vault or LIFEBOAT_VAULT',
    );
    if (process.platform !== 'darwin' && process.platform !== 'win32') {
      const { xdgDataHome, home } = this.settings;
      const base = xdgDataHome ?? (home === undefined ? undefined : path.join(home, '.local', 'share'));
      if (base === undefined) throw noBase;
      return path.join(base, 'lifeboat', 'vault.lifeboat');
    }
    const { default: envPaths } = await import('env-paths');
    const data = envPaths('lifeboat', { suffix: '' }).data;
    if (!path.isAbsolute(data)) throw noBase;
    return path.join(data, 'vault.lifeboat');
  }

  /** The clock and id source every change of the model takes. */
  change(): Context {
    return { now: new Date().toISOString(), newId: () => randomId(), device: this.device() };
  }

  /**
   * This device's id, which stamps its changes. Kept in the private state folder; drawn once.
   */
  device(): string {
    if (this.deviceCache) return this.deviceCache;
    const base = this.settings.stateBase;
    if (base instanceof UsageError) throw base;
    this.deviceCache = deviceId(privateFolder(base), () => randomId().slice(0, 16), (message) => this.warn(message));
    return this.deviceCache;
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
  vaultOptions(): { lockTimeoutMs: number; warn: (message: string) => void; warnBelowFloor: boolean; device: () => string } {
    return { lockTimeoutMs: this.settings.lockTimeoutMs, warn: (message) => this.warn(message), warnBelowFloor: !this.settings.insecureTestKdf, device: () => this.device() };
  }

  /**
   * Checks that the vault file is there, then opens it with the keys of an unlock session for it if one is
   * open (unless `session: false`), else obtains the passphrase and derives its key once. A passphrase typed
   * on the terminal that is wrong is asked again (three tries, like sudo); one from a variable, file or
   * command is tried once. The caller closes the vault.
   */
  async open(options: { session?: boolean } = {}): Promise<OpenVault> {
    if (this.settings.insecureTestKdf) this.warnTestKdf();
    const file = await this.vaultPath();
    requireVaultFile(file);
    if (options.session !== false && this.settings.runtimeDir) {
      const { openFromSession } = await import('./session.js');
      const vault = await openFromSession(this.settings, file, this.vaultOptions());
      if (vault) return vault;
    }
    // Every save merges the conflict copies beside the vault; this says what it did with them.
    const onConflictCopies = (outcome: ConflictOutcome): void => {
      this.conflictsSpoken = true;
      sayConflictOutcome(this, outcome);
    };
    const typed = this.settings.passphrase === undefined;
    for (let attempt = 1; ; attempt += 1) {
      const passphrase = await obtainPassphrase(this.settings.passphrase, {
        prefix: 'LIFEBOAT_PASSPHRASE',
        label: 'Passphrase',
        twice: false,
        warn: (message) => this.warn(message),
      });
      try {
        return await openVault(file, passphrase, { ...this.vaultOptions(), onConflictCopies });
      } catch (error) {
        if (!typed || attempt >= TRIES || !(error instanceof VaultError) || error.kind !== 'wrong-passphrase') throw error;
        this.say('wrong passphrase: try again');
      } finally {
        wipe(passphrase);
      }
    }
  }

  /**
   * Codes this device saw spent that the opened vault shows unspent, when the vault went back in time
   * (docs/vault-format.md, section 10, "Rollback"); empty otherwise. Set by `withVault`.
   */
  rolledBack: ReadonlySet<string> = new Set();

  /**
   * Checks that the vault file is there and readable, before a command asks for anything (a code, a
   * confirmation): typed input is never thrown away for a missing vault.
   */
  async requireVault(): Promise<void> {
    requireVaultFile(await this.vaultPath());
  }

  /** Runs a command on the opened vault and always closes it. */
  async withVault<T>(work: (vault: OpenVault) => Promise<T>, options: { session?: boolean } = {}): Promise<T> {
    // What this device saw is read before the vault: every state recorded there was on disk before it was
    // recorded, so a vault read after it can be behind it only if the file really went back in time.
    const seenBefore = this.readSeenFor(await this.vaultPath());
    const vault = await this.open(options);
    try {
      const seen = this.checkRollback(vault, seenBefore);
      const result = await work(vault);
      this.recordSeen(vault, seen);
      // A command that saved nothing leaves conflict copies where they are, and says so.
      if (!this.conflictsSpoken) noticeConflictCopies(this, vault.conflictCopies());
      return result;
    } finally {
      vault.close();
    }
  }

  /** The private state folder, or undefined (with no usable home, rollback checks are skipped). */
  private stateFolder(): string | undefined {
    const base = this.settings.stateBase;
    if (base instanceof UsageError) return undefined;
    try {
      return privateFolder(base);
    } catch (error) {
      // A read must still work on the worst day: the rollback check is skipped, and said so. A change,
      // which needs this device's id from that folder, refuses (`device`).
      if (!this.warnedStateFolder) this.warn(`${(error as Error).message}: cannot check whether this vault went back in time`);
      this.warnedStateFolder = true;
      return undefined;
    }
  }

  /** Compares the vault with what this device last saw of it, and says so loudly when it went back. */
  private checkRollback(vault: OpenVault, seen: SeenState | null): SeenState | null {
    if (!seen) return null;
    if (behindOf(vault.content.clock, seen.clock).length === 0) return seen;
    // A sync tool may have kept the other device's version and set this device's newest one aside as a
    // conflict copy: the next save merges it back, so what counts is the vault with its copies.
    const content = vault.conflictCopies().length > 0 ? vault.contentWithConflictCopies() : vault.content;
    if (behindOf(content.clock, seen.clock).length === 0) return seen;
    const spentNow = new Set(spentKeys(content));
    this.rolledBack = new Set(seen.spent.filter((key) => !spentNow.has(key)));
    this.warn(
      `this vault went back in time: it lacks changes this device already saw (a sync tool or a restored backup brought back an older copy)` +
        (this.rolledBack.size > 0 ? `; ${this.rolledBack.size} code${this.rolledBack.size === 1 ? '' : 's'} this device saw spent ${this.rolledBack.size === 1 ? 'shows' : 'show'} as unspent` : ''),
    );
    this.io.stderr.write('lifeboat: hint: merge the newer copy with `lifeboat merge FILE` if you have it; `lifeboat use` will not hand out a code this device saw spent\n');
    return seen;
  }

  /** What this device last saw of the vault at `location` (its real path), or null. */
  private readSeenFor(location: string): SeenState | null {
    const folder = this.stateFolder();
    if (!folder) return null;
    let real = location;
    try {
      real = fs.realpathSync(location);
    } catch {
      // No vault there: opening it says so.
    }
    return readSeen(folder, real);
  }

  /**
   * Records what this device has now seen: the largest clock either said, and the spent codes. What is on
   * record is read again first, since another lifeboat process may have recorded a newer state meanwhile;
   * a vault behind that record adds its spent codes to it rather than replacing it.
   */
  private recordSeen(vault: OpenVault, seen: SeenState | null): void {
    const folder = this.stateFolder();
    if (!folder) return;
    const current = readSeen(folder, vault.path) ?? seen;
    // Nothing new since it was recorded (every change moves the clock): nothing to write.
    if (current && sameClock(current.clock, vault.content.clock)) return;
    const spent = new Set(spentKeys(vault.content));
    if (current && behindOf(vault.content.clock, current.clock).length > 0) {
      for (const key of current.spent) spent.add(key);
      for (const key of this.rolledBack) spent.add(key);
    }
    try {
      writeSeen(folder, vault.path, { clock: mergeClocks(current?.clock, vault.content.clock), spent: [...spent] });
    } catch (error) {
      this.warn(`could not record what this device saw of the vault (${(error as Error).message})`);
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
      if (error instanceof DomainError && error.kind === 'no-such-account') {
        // A typo gets the nearest name in the hint (issue 10, "Prefixes and typos").
        const [nearest] = nearestNames(vault.accounts.map((account) => account.name), query);
        if (nearest) throw new DomainError('no-such-account', error.message, { hint: `did you mean ${nearest}? run \`lifeboat list\` to see your accounts` });
      }
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
