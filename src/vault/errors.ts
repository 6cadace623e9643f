/**
 * Why a vault could not be opened or saved. The command line maps each kind to an exit status:
 * the first five are "the vault cannot be opened" (3); the others are errors (1) or usage errors (2).
 * Messages name files and counts only, never a code or a passphrase.
 */
export type VaultErrorKind =
  | 'not-a-vault'
  | 'unsupported-version'
  | 'damaged'
  | 'wrong-passphrase'
  | 'kdf-limit'
  | 'bad-cost'
  | 'missing'
  | 'exists'
  | 'locked'
  | 'changed-on-disk'
  | 'io'
  | 'durability-unknown'
  | 'unsafe-path'
  | 'invalid-content';

/** A refusal or failure of the vault room. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly kind: VaultErrorKind;
  readonly hint: string | undefined;
  /** Set on "damaged" when only a consistency rule (5.3) is broken: the vault can be opened and repaired. */
  repairable = false;

  constructor(kind: VaultErrorKind, message: string, hint?: string) {
    super(message);
    this.kind = kind;
    this.hint = hint;
  }
}

/** The kinds that mean "the vault cannot be opened": nothing is written in any of these cases. */
export const UNOPENABLE: ReadonlySet<VaultErrorKind> = new Set([
  'not-a-vault',
  'unsupported-version',
  'damaged',
  'wrong-passphrase',
  'kdf-limit',
]);
