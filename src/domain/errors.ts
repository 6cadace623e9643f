/**
 * Refusals of the model. Each kind is mapped to an exit status by the command line (src/cli/errors.ts).
 * Messages never contain a code or a passphrase: they name accounts, counts, positions and dates only.
 */
export type DomainErrorKind =
  | 'no-such-account'
  | 'ambiguous-account'
  | 'account-exists'
  | 'invalid-name'
  | 'no-code-left'
  | 'unknown-code'
  | 'already-spent'
  | 'not-spent'
  | 'empty-batch'
  | 'duplicate-code'
  | 'invalid-code'
  | 'superseded-batch'
  | 'partial-batch'
  | 'invalid-import';

/** A change the model refuses, with a message fit for the user and optional details for the caller. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly kind: DomainErrorKind;
  readonly details: { readonly candidates?: readonly string[]; readonly hint?: string };

  constructor(
    kind: DomainErrorKind,
    message: string,
    details: { readonly candidates?: readonly string[]; readonly hint?: string } = {},
  ) {
    super(message);
    this.kind = kind;
    this.details = details;
  }
}
