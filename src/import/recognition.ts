import type { IncomingCode } from '../domain/index.js';

/**
 * The result types of `recognize` (docs/formats.md describes every layout behind them).
 *
 * A recognition is one of three things, told apart by `confidence`, so that the command line cannot
 * store codes it was not sure of by accident: only the `confident` variant carries `codes`.
 */

/** The services whose layouts lifeboat knows. */
export type ServiceId =
  | 'google'
  | 'github'
  | 'gitlab'
  | 'discord'
  | 'instagram'
  | 'facebook'
  | 'microsoft'
  | 'bitwarden'
  | 'pypi'
  | 'npm'
  | 'proton'
  | 'dropbox'
  | 'x'
  | 'apple'
  | 'auth0'
  | 'atlassian';

/** What `recognize` may know about the text besides its content. */
export interface RecognizeOptions {
  /**
   * The name of the file the text came from (a path is fine: only its last part is used).
   * Services name their downloads (`github-recovery-codes.txt`), so this is the strongest hint there is.
   */
  readonly fileName?: string;
}

/** One thing in the text that could be a code, for the command line to offer as a checkbox. */
export interface Candidate {
  /** The code in normalized display form, exactly as it appears in the normalized text. */
  readonly code: string;
  /** Whether the text marks it as used (`(used)`, a tick, `~~struck~~`, `[x]`). */
  readonly used: boolean;
  /** The 1-based line of the text it is on. */
  readonly line: number;
  /** Why it might not be a code (`could be a date`), or null when nothing speaks against it. */
  readonly doubt: string | null;
}

/** The text is a known layout or an unambiguous list: these are the codes, in the service's order. */
export interface ConfidentRecognition {
  readonly confidence: 'confident';
  /** The service, when the file name or a header line tells it; null for a plain list. */
  readonly service: ServiceId | null;
  /** A human label of the layout, such as `a GitHub recovery-codes file` or `a plain list of codes`. */
  readonly label: string;
  readonly codes: readonly IncomingCode[];
}

/**
 * The text holds things shaped like codes, but some could be something else (a date, a phone number,
 * a PIN, a ticket number, part of an e-mail address...), or the text does not fit its layout.
 * Nothing is decided: the user picks from `candidates`.
 */
export interface AmbiguousRecognition {
  readonly confidence: 'ambiguous';
  readonly service: ServiceId | null;
  readonly label: string;
  /** Every candidate in the service's order (or the text's order), each with its doubt, if any. */
  readonly candidates: readonly Candidate[];
  /** One sentence saying why the recognizer is unsure, for the command line to show above the list. */
  readonly explanation: string;
  /**
   * When the text's layout allows more than one reading (one long code or several side by side, an old
   * set or the new one), each reading spelled out, the one whose codes are pre-ticked first. Absent
   * when the question is only which candidates are codes.
   */
  readonly readings?: readonly Reading[];
}

/** One way of reading an ambiguous text: a label such as `set 2 (lines 14-23)`, and its codes in order. */
export interface Reading {
  readonly label: string;
  readonly codes: readonly IncomingCode[];
}

/** Nothing in the text looks like a code. */
export interface NoRecognition {
  readonly confidence: 'none';
  /** One sentence saying what was looked for. */
  readonly explanation: string;
}

/** What `recognize` made of a text. */
export type Recognition = ConfidentRecognition | AmbiguousRecognition | NoRecognition;

/** How each service names itself, for the account's `service` field and the paper sheet. */
export const SERVICE_NAMES: Readonly<Record<ServiceId, string>> = {
  google: 'Google',
  github: 'GitHub',
  gitlab: 'GitLab',
  discord: 'Discord',
  instagram: 'Instagram',
  facebook: 'Facebook',
  microsoft: 'Microsoft',
  bitwarden: 'Bitwarden',
  pypi: 'PyPI',
  npm: 'npm',
  proton: 'Proton',
  dropbox: 'Dropbox',
  x: 'X',
  apple: 'Apple',
  auth0: 'Auth0',
  atlassian: 'Atlassian',
};
