import fs from 'node:fs';
import { CliError, UsageError } from './errors.js';
import type { CommandContext } from './context.js';
import { askSecret } from './prompts.js';
import { hasTerminal } from './terminal.js';

/**
 * Codes and code lists typed or piped by the user. A code that still works should not enter shell
 * history or the process list, so every command that takes one also reads it from a prompt or stdin.
 */

/** The code a user typed: the argument if given, else one line of piped stdin, else a masked prompt. */
export async function typedCode(context: CommandContext, argument: string | undefined): Promise<string> {
  let code = argument;
  if (code === undefined) {
    if (!context.io.stdinIsTty) {
      const text = await context.readStdin();
      code = text.split(/\r?\n/)[0] ?? '';
    } else {
      if (!hasTerminal()) throw new UsageError('no code given', 'pipe the code on standard input');
      code = await askSecret('Code');
    }
  }
  if (code.trim() === '') throw new UsageError('no code given', 'type the code at the prompt, or pipe it on standard input');
  return code;
}

/** Why a file named by the user cannot be read, in words, and what to do (never a bare errno). */
const FILE_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  ENOENT: ['no such file', 'check the path given to --file'],
  ENOTDIR: ['a part of the path is a file, not a folder', 'check the path given to --file'],
  EISDIR: ['it is a folder', 'give the file inside it, not the folder'],
  EACCES: ['permission denied', 'check its owner and mode with `ls -l`, or copy it somewhere you can read'],
  EPERM: ['permission denied', 'check its owner and mode with `ls -l`, or copy it somewhere you can read'],
  EIO: ['the disk reported an input/output error', 'copy the file elsewhere and try again'],
};

/** Reads a file the user named, as text; a clear error if it cannot be read. */
export function readUserFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const [why, hint] = FILE_WORDS[code ?? ''] ?? [code ?? 'error', 'check the path given to --file'];
    throw new CliError(`cannot read ${file} (${why})`, { hint });
  }
}

/**
 * Reads a block of codes typed or pasted on the terminal, ended by an empty line or Ctrl+D: codes never
 * pass through an editor and its temp file, and a paste is taken whole (src/cli/paste.ts).
 */
export async function typedLines(message: string): Promise<string> {
  const { readBlock } = await import('./paste.js');
  const text = await readBlock(message);
  if (text === null) throw new UsageError('no codes given', 'pass --file PATH or pipe the codes on standard input');
  return text;
}
