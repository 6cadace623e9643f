import { DomainError, type DomainErrorKind } from '../domain/index.js';
import { UNOPENABLE, VaultError, type VaultErrorKind } from '../vault/index.js';
import { Cancelled, CliError, UsageError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * How the one catch in main words a failure and which exit status it gets. Loaded only when something
 * failed, so that a command that succeeds never pays for it.
 */

const DOMAIN_EXIT: Record<DomainErrorKind, ExitCode> = {
  'no-such-account': EXIT.nothing,
  'no-code-left': EXIT.nothing,
  'unknown-code': EXIT.nothing,
  'ambiguous-account': EXIT.usage,
  'invalid-name': EXIT.usage,
  'account-exists': EXIT.error,
  'already-spent': EXIT.error,
  'not-spent': EXIT.error,
  'empty-batch': EXIT.error,
  'duplicate-code': EXIT.error,
  'invalid-code': EXIT.error,
  'superseded-batch': EXIT.error,
  'partial-batch': EXIT.error,
  'invalid-import': EXIT.error,
};

function vaultExit(kind: VaultErrorKind): ExitCode {
  if (UNOPENABLE.has(kind)) return EXIT.unopenable;
  return kind === 'bad-cost' ? EXIT.usage : EXIT.error;
}

/** What the one catch in main prints and returns for an error. */
export interface Failure {
  readonly exitCode: ExitCode;
  readonly message: string;
  readonly hint: string | undefined;
  /** True for errors we did not foresee: the message asks for a report. */
  readonly internal: boolean;
}

/** Maps any thrown value to an exit status and a message that holds no secret. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof Cancelled) return { exitCode: EXIT.cancelled, message: 'cancelled: nothing was changed', hint: undefined, internal: false };
  if (error instanceof UsageError) return { exitCode: EXIT.usage, message: error.message, hint: error.hint, internal: false };
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message, hint: error.hint, internal: false };
  if (error instanceof DomainError) {
    return { exitCode: DOMAIN_EXIT[error.kind], message: error.message, hint: error.details.hint, internal: false };
  }
  if (error instanceof VaultError) return { exitCode: vaultExit(error.kind), message: error.message, hint: error.hint, internal: false };
  if (error instanceof Error && error.name === 'ExitPromptError') {
    return { exitCode: EXIT.cancelled, message: 'cancelled: nothing was changed', hint: undefined, internal: false };
  }
  // Never echo an unknown error's message: it might quote input. Its name is safe.
  const name = error instanceof Error ? error.name : typeof error;
  return {
    exitCode: EXIT.error,
    message: `internal error (${name}): please report it, with what you ran`,
    hint: 'run again with LIFEBOAT_DEBUG=1 to see the stack trace (it may show codes: check before sharing)',
    internal: true,
  };
}
