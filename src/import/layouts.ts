import type { ServiceId } from './recognition.js';
import type { SplitRule } from './scan.js';

/**
 * The layouts lifeboat knows, one entry per service (docs/formats.md gives the source of each).
 * A layout is found by its file name or by a header line, and then says what one code looks like and
 * how many a batch holds, so that a file that does not fit is questioned rather than trusted.
 */
export interface Layout {
  readonly service: ServiceId;
  /** The label when the layout was found from a header line or the text alone. */
  readonly label: string;
  /** The label when the file name gave it away (`a GitHub recovery-codes file`). */
  readonly fileLabel: string;
  /** The file name the service gives its download, matched against the last part of the path. */
  readonly fileName: RegExp | null;
  /** Words only this service's text has (GitLab's and npm's command output). */
  readonly signature: RegExp | null;
  /** The service's name, which marks a header line when a code word is on the same line. */
  readonly name: RegExp;
  /** One code, in display form. */
  readonly code: RegExp;
  /** How to read runs of space-separated groups as codes. */
  readonly split: SplitRule | null;
  /** The most codes one batch holds. */
  readonly most: number;
  /** What one code is called, for explanations. */
  readonly codeName: string;
}

const EIGHT_DIGITS = /^[0-9]{4} ?[0-9]{4}$/;
const PAIRS_OF_FOUR: SplitRule = { groups: 2, length: 4 };
/** A browser saving a second copy adds ` (1)` or `-1` before the extension. */
const copy = String.raw`(?:[ _-]?\(?[0-9]{1,3}\)?)?`;

/** Instagram, Facebook and Dropbox all hand out ten 8-digit codes and name no download. */
function eightDigitLayout(service: ServiceId, display: string): Layout {
  return {
    service,
    label: `${display} backup codes`,
    fileLabel: `${display} backup codes`,
    fileName: null,
    signature: null,
    name: new RegExp(String.raw`\b${service}\b`, 'i'),
    code: EIGHT_DIGITS,
    split: PAIRS_OF_FOUR,
    most: 10,
    codeName: `${display} backup code (8 digits)`,
  };
}

export const LAYOUTS: readonly Layout[] = [
  {
    service: 'google',
    label: 'Google backup codes',
    fileLabel: 'a Google backup-codes file',
    fileName: new RegExp(String.raw`^backup-codes(?:-[^/\\]*)?${copy}\.txt$`, 'i'),
    signature: /save your backup codes|keep these backup codes somewhere safe|backup verification codes/i,
    name: /\bgoogle\b/i,
    code: EIGHT_DIGITS,
    split: PAIRS_OF_FOUR,
    most: 10,
    codeName: 'Google backup code (8 digits)',
  },
  {
    service: 'github',
    label: 'GitHub recovery codes',
    fileLabel: 'a GitHub recovery-codes file',
    fileName: new RegExp(String.raw`^github-recovery-codes${copy}\.txt$`, 'i'),
    signature: null,
    name: /\bgithub\b/i,
    code: /^[0-9a-f]{5}-[0-9a-f]{5}$/i,
    split: null,
    most: 16,
    codeName: 'GitHub recovery code (xxxxx-xxxxx)',
  },
  {
    service: 'gitlab',
    label: 'GitLab recovery codes',
    fileLabel: 'a GitLab recovery-codes file',
    fileName: new RegExp(String.raw`^gitlab-recovery-codes${copy}\.txt$`, 'i'),
    signature: /two-factor authentication recovery codes are:|2fa_recovery_codes/i,
    name: /\bgitlab\b/i,
    code: /^[0-9a-f]{16}$/i,
    split: null,
    most: 10,
    codeName: 'GitLab recovery code (16 hexadecimal characters)',
  },
  {
    service: 'discord',
    label: 'Discord backup codes',
    fileLabel: 'a Discord backup-codes file',
    fileName: new RegExp(String.raw`^discord_backup_codes${copy}\.txt$`, 'i'),
    signature: null,
    name: /\bdiscord\b/i,
    code: /^[0-9a-z]{4}-?[0-9a-z]{4}$/i,
    split: null,
    most: 10,
    codeName: 'Discord backup code (xxxx-xxxx)',
  },
  {
    service: 'npm',
    label: 'npm recovery codes',
    fileLabel: 'npm recovery codes',
    fileName: null,
    signature: /2FA successfully enabled\. Below are your recovery codes/i,
    name: /\bnpm\b/i,
    code: /^[0-9a-z]{8,64}$/i,
    split: null,
    most: 10,
    codeName: 'npm recovery code',
  },
  {
    service: 'pypi',
    label: 'PyPI recovery codes',
    fileLabel: 'PyPI recovery codes',
    fileName: null,
    signature: null,
    name: /\bpypi\b/i,
    code: /^[0-9a-f]{16}$/i,
    split: null,
    most: 8,
    codeName: 'PyPI recovery code (16 hexadecimal characters)',
  },
  {
    service: 'proton',
    label: 'Proton recovery codes',
    fileLabel: 'Proton recovery codes',
    fileName: null,
    signature: null,
    name: /\bproton(?:mail)?\b/i,
    code: /^[0-9a-z]{8,16}$/i,
    split: null,
    most: 10,
    codeName: 'Proton recovery code',
  },
  eightDigitLayout('instagram', 'Instagram'),
  eightDigitLayout('facebook', 'Facebook'),
  eightDigitLayout('dropbox', 'Dropbox'),
  {
    service: 'microsoft',
    label: 'a Microsoft recovery code',
    fileLabel: 'a Microsoft recovery code',
    fileName: null,
    signature: null,
    name: /\bmicrosoft\b/i,
    code: /^[0-9a-z]{5}(?:-[0-9a-z]{5}){4}$/i,
    split: null,
    most: 1,
    codeName: 'Microsoft recovery code (5 groups of 5)',
  },
  {
    service: 'bitwarden',
    label: 'a Bitwarden recovery code',
    fileLabel: 'a Bitwarden recovery code',
    fileName: null,
    signature: null,
    name: /\bbitwarden\b/i,
    code: /^(?:[0-9a-z]{32}|[0-9a-z]{4}(?: [0-9a-z]{4}){7}|[0-9a-z]{4}(?:-[0-9a-z]{4}){7})$/i,
    split: { groups: 8, length: 4 },
    most: 1,
    codeName: 'Bitwarden recovery code (32 characters)',
  },
  {
    service: 'x',
    label: 'an X (Twitter) backup code',
    fileLabel: 'an X (Twitter) backup code',
    fileName: null,
    signature: null,
    name: /\btwitter\b|\bx\.com\b/i,
    code: /^[0-9a-z]{12}$/i,
    split: null,
    most: 1,
    codeName: 'X backup code (12 characters)',
  },
  {
    service: 'apple',
    label: 'an Apple recovery key',
    fileLabel: 'an Apple recovery key',
    fileName: null,
    signature: null,
    name: /\bapple\b/i,
    code: /^[0-9a-z]{4}(?:-[0-9a-z]{4}){6}$/i,
    split: null,
    most: 1,
    codeName: 'Apple recovery key (28 characters)',
  },
  {
    service: 'auth0',
    label: 'an Auth0 recovery code',
    fileLabel: 'an Auth0 recovery code',
    fileName: null,
    signature: null,
    name: /\bauth0\b/i,
    code: /^[0-9a-z]{20,32}$/i,
    split: null,
    most: 1,
    codeName: 'Auth0 recovery code',
  },
  {
    service: 'atlassian',
    label: 'an Atlassian recovery code',
    fileLabel: 'an Atlassian recovery code',
    fileName: null,
    signature: null,
    name: /\batlassian\b/i,
    code: /^[0-9a-z]{8,40}$/i,
    split: null,
    most: 1,
    codeName: 'Atlassian recovery code',
  },
];

/** A header line names the service next to a word for what it issued. */
const CODE_WORD = /\b(?:codes?|keys?|backup|recovery)\b/i;

/** The last part of a path, whichever separator the system uses. */
function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).trim();
}

/** The layout a file name gives away, if any. */
export function layoutByFileName(fileName: string | undefined): Layout | null {
  if (fileName === undefined) return null;
  const name = baseName(fileName);
  return LAYOUTS.find((layout) => layout.fileName?.test(name)) ?? null;
}

/** The layouts whose signature or name-and-code-word header appears on some line. */
export function layoutsByHeader(lines: readonly string[]): Layout[] {
  return LAYOUTS.filter((layout) =>
    lines.some((line) => layout.signature?.test(line) || (layout.name.test(line) && CODE_WORD.test(line))),
  );
}
