import { EXIT, type ExitCode } from './exit-codes.js';

/** A mistake in how lifeboat was called: exit 2, with a hint naming what fixes it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** An error of the command line itself (a missing tool, no terminal, a failed copy): exit 1 unless told. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { hint?: string; exitCode?: ExitCode } = {}) {
    super(message);
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.error;
  }
}

/** The user pressed Ctrl+C or Ctrl+D at a prompt: exit 130, nothing changed. */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';

  constructor() {
    super('cancelled');
  }
}

/** Why a write to standard output failed, in words: the usual errno codes of a full disk or a closed pipe. */
export function outputFailure(error: Error): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED'
      ? 'the program reading it went away'
      : code === 'ENOSPC'
        ? 'no space left on the device'
        : code === 'EIO'
          ? 'an input/output error'
          : (code ?? error.name);
  return new CliError(`could not write to standard output: ${why}`, { hint: 'check where standard output goes (a full disk, a pipe that closed early)' });
}
