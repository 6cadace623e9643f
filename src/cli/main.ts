import { CommanderError } from 'commander';
import type { Io } from './context.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';
import { readSettings } from './settings.js';

/** The process's own streams and environment. A reader that goes away (`lifeboat list | head -1`) ends us quietly. */
export function processIo(): Io {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdinIsTty: process.stdin.isTTY === true,
    stdoutIsTty: process.stdout.isTTY === true,
    env: process.env,
  };
}

/**
 * Runs lifeboat with the arguments after the program name and returns the exit status.
 * The one catch: every error becomes a message on stderr and a status (README, "Exit status").
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
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
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with status 0; every other commander error is bad usage.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      // `lifeboat help [command]` asked for help (status 0); no command at all is bad usage (status 1 here).
      if (error.code === 'commander.help' && error.exitCode === 0) return EXIT.ok;
      return EXIT.usage;
    }
    const { describeFailure } = await import('./failure.js');
    const failure = describeFailure(error);
    const label = color ? '\u001b[31merror\u001b[0m' : 'error';
    io.stderr.write(`lifeboat: ${label}: ${failure.message}\n`);
    if (failure.hint) io.stderr.write(`lifeboat: hint: ${failure.hint}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return failure.exitCode;
  }
}
