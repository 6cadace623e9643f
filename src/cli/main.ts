import { CommanderError } from 'commander';
import { terminalText } from '../output/sanitize.js';
import type { Io } from './context.js';
import { outputFailure } from './errors.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';
import { readSettings } from './settings.js';

/**
 * The process's own streams and environment. A write error on either stream never crashes the process:
 * `main` watches standard output while a command runs and words what went wrong; after that, and on
 * standard error, there is nobody left to tell.
 */
export function processIo(): Io {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdinIsTty: process.stdin.isTTY === true,
    stdoutIsTty: process.stdout.isTTY === true,
    env: process.env,
  };
}

/** Resolves once everything written to a stream so far was handed to the system (or failed). */
function settled(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}

/**
 * Runs lifeboat with the arguments after the program name and returns the exit status.
 * The one catch: every error becomes a message on stderr and a status (README, "Exit status").
 * Every message passes through the one sanitizer, since it may quote a name from data.
 *
 * Standard output failing (a full disk, `> /dev/full`; a reader that went away) is handled here once: a
 * command that must know (`use`, `print`) waits for its write and fails on its own; for the rest, a full
 * disk or any other write error is an error after the fact, and a reader that went away on purpose
 * (`lifeboat list | head -1`) ends the command quietly.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let outputError: Error | undefined;
  const onOutputError = (error: Error): void => {
    outputError ??= error;
  };
  const onTalkError = (): void => undefined;
  io.stdout.on('error', onOutputError);
  io.stderr.on('error', onTalkError);
  try {
    const { status, reported } = await run(argv, io);
    await settled(io.stdout);
    const failed = outputError as Error | undefined;
    // A command that waited for its output (use, print) has already said what failed.
    if (reported || failed === undefined || (failed as NodeJS.ErrnoException).code === 'EPIPE') return status;
    return report(io, outputFailure(failed), false, false);
  } finally {
    io.stdout.removeListener('error', onOutputError);
    io.stderr.removeListener('error', onTalkError);
  }
}

async function run(argv: readonly string[], io: Io): Promise<{ status: number; reported: boolean }> {
  let status: number = EXIT.ok;
  let debug = io.env['LIFEBOAT_DEBUG'] === '1';
  let color = false;
  try {
    const settings = readSettings(io.env, (io.stderr as { isTTY?: boolean }).isTTY === true);
    debug = settings.debug;
    color = settings.color;
    const program = buildProgram(io, settings, (code) => {
      status = code;
    });
    await program.parseAsync([...argv], { from: 'user' });
    return { status, reported: false };
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with status 0; every other commander error is bad usage.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return { status: EXIT.ok, reported: false };
      // `lifeboat help [command]` asked for help (status 0); no command at all is bad usage (status 1 here).
      if (error.code === 'commander.help' && error.exitCode === 0) return { status: EXIT.ok, reported: false };
      return { status: EXIT.usage, reported: true };
    }
    return { status: await report(io, error, color, debug), reported: true };
  }
}

/** Words a failure on stderr and returns its status. */
async function report(io: Io, error: unknown, color: boolean, debug: boolean): Promise<number> {
  const { describeFailure } = await import('./failure.js');
  const failure = describeFailure(error);
  const label = color ? '\u001b[31merror\u001b[0m' : 'error';
  io.stderr.write(`lifeboat: ${label}: ${terminalText(failure.message)}\n`);
  if (failure.hint) io.stderr.write(`lifeboat: hint: ${terminalText(failure.hint)}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack.split('\n').map(terminalText).join('\n')}\n`);
  return failure.exitCode;
}
