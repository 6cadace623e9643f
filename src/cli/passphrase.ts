import fs from 'node:fs';
import { CliError, UsageError } from './errors.js';
import { passphraseWeakness } from './passphrase-strength.js';
import { askConfirm, askSecret } from './prompts.js';
import type { PassphraseSource } from './settings.js';
import { hasTerminal } from './terminal.js';

/**
 * Obtains a passphrase from exactly one source: a variable, a file's first line, a command's first line
 * of output, or a masked prompt on the terminal. Returns its UTF-8 bytes after Unicode NFC, so the same
 * passphrase typed on another system opens the vault; the caller wipes them after use.
 */

/** Which passphrase is wanted, for the prompt's wording and the variables' names. */
export interface PassphraseRequest {
  /** `LIFEBOAT_PASSPHRASE` or `LIFEBOAT_NEW_PASSPHRASE`. */
  readonly prefix: string;
  /** What the prompt says, e.g. "Passphrase" or "New passphrase". */
  readonly label: string;
  /** Ask twice on the terminal (a new vault, a new passphrase). */
  readonly twice: boolean;
  /** Where to warn about a passphrase file that other users can read (issue 11, finding 9). */
  readonly warn?: (message: string) => void;
}

/** The first line of a text, without its line break: the convention of restic and borg. */
function firstLine(text: string): string {
  const end = text.indexOf('\n');
  const line = end < 0 ? text : text.slice(0, end);
  return end >= 0 && line.endsWith('\r') ? line.slice(0, -1) : line;
}

function fromFile(source: Extract<PassphraseSource, { kind: 'file' }>, warn: ((message: string) => void) | undefined): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(source.path, 'r');
    // The mode of the file as opened (fstat), not of whatever the name points to a moment later.
    const mode = fs.fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warn?.(`the passphrase file named by ${source.variable} is open to other users (mode ${mode.toString(8)}): run \`chmod 600\` on it`);
    }
    return firstLine(fs.readFileSync(fd, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    throw new CliError(`cannot read the passphrase file named by ${source.variable} (${code})`, {
      hint: `check the path in ${source.variable}`,
    });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

async function fromCommand(source: Extract<PassphraseSource, { kind: 'command' }>): Promise<string> {
  const { spawnSync } = await import('node:child_process');
  // The command line is not secret; its output is. Its standard input is closed so it cannot eat piped
  // codes, and it inherits an environment from which every passphrase variable was already removed.
  const result = spawnSync('/bin/sh', ['-c', source.command], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024,
  });
  if (result.error || result.status !== 0) {
    const why = result.error ? (result.error as { code?: string }).code ?? 'error' : `exit status ${result.status ?? result.signal}`;
    throw new CliError(`the command in ${source.variable} failed (${why})`, { hint: `run it by hand to check it prints the passphrase` });
  }
  return firstLine(result.stdout);
}

/** UTF-8 bytes of our own (a TextEncoder array, not a slice of Node's shared Buffer pool), so they can be wiped. */
function toBytes(passphrase: string): Uint8Array {
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}

/** Reads a passphrase from its source, or asks for it. */
export async function obtainPassphrase(source: PassphraseSource | UsageError | undefined, request: PassphraseRequest): Promise<Uint8Array> {
  if (source instanceof UsageError) throw source;
  let passphrase: string;
  if (source?.kind === 'value') passphrase = firstLine(source.value);
  else if (source?.kind === 'file') passphrase = fromFile(source, request.warn);
  else if (source?.kind === 'command') passphrase = await fromCommand(source);
  else passphrase = await askPassphrase(request);
  if (passphrase.length === 0) {
    throw new CliError('the passphrase is empty', { hint: source ? `check ${source.variable}` : 'type a passphrase' });
  }
  return toBytes(passphrase);
}

async function askPassphrase(request: PassphraseRequest): Promise<string> {
  if (!hasTerminal()) {
    throw new UsageError(
      `no ${request.label.toLowerCase()} given and no terminal to ask on`,
      `set ${request.prefix}, ${request.prefix}_FILE or ${request.prefix}_COMMAND`,
    );
  }
  const notEmpty = (value: string): string | true => (value.length > 0 ? true : 'the passphrase must not be empty');
  // A new passphrase: a weak one is said and confirmed, and a mismatch is asked again, up to three rounds.
  for (let round = 1; ; round += 1) {
    const first = await askSecret(request.label, notEmpty);
    if (!request.twice) return first;
    const weakness = passphraseWeakness(first);
    if (weakness !== null) {
      process.stderr.write(`lifeboat: warning: this passphrase is weak: ${weakness}\n`);
      if (!(await askConfirm('Use it anyway?', false))) {
        if (round >= TRIES) throw new CliError('no passphrase was chosen: nothing was changed', { hint: 'run the command again' });
        continue;
      }
    }
    const second = await askSecret(`${request.label} (again)`);
    if (first === second) return first;
    if (round >= TRIES) throw new CliError('the two passphrases differ: nothing was changed', { hint: 'run the command again' });
    process.stderr.write('lifeboat: the two passphrases differ: try again\n');
  }
}

/** How many times a passphrase is asked on the terminal before giving up, as sudo does. */
export const TRIES = 3;
