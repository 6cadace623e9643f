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
