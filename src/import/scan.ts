/**
 * Finds the code-shaped pieces of normalized text, line by line, with what surrounds them:
 * the list number in front, a used mark, whether the line holds nothing but codes.
 *
 * Every token's `text` is a slice of the normalized line whose separators are single spaces or
 * dashes, so `displayCode(text) === text`: what we hand out is always literally in the input.
 */

/** One line of the normalized text. */
export interface SourceLine {
  /** 1-based, as an editor shows it. */
  readonly number: number;
  readonly text: string;
}

/** How to cut a run of space-separated groups into codes (`1234 5678 2345 6789` into two). */
export interface SplitRule {
  readonly groups: number;
  readonly length: number;
  /** Cut only runs of digit groups (eight-digit codes side by side), never a long code of letters and digits. */
  readonly digitsOnly?: boolean;
}

/** A piece of a line that has the shape of a code. */
export interface Token {
  readonly text: string;
  readonly line: SourceLine;
  readonly start: number;
  readonly end: number;
  /** The groups of the code: `['1234', '5678']`, `['a1b2c', '3d4e5']`, or the whole word. */
  readonly parts: readonly string[];
  /** What separates the groups. */
  readonly separator: ' ' | '-' | '';
  /** The list number written in front of it (`6.` in a two-column Google file), if any. */
  readonly ordinal: number | null;
  readonly used: boolean;
  /** Whether its line holds nothing but codes, list markers and used marks. */
  readonly onCodeLine: boolean;
  /**
   * Whether it is a word of letters alone on its line (`kqmzvtaw`). Random codes sometimes have no
   * digit; such a word counts only where the codes around it have its shape (recognize decides).
   */
  readonly digitless: boolean;
}

/** Splits text into lines the way editors count them. */
export function splitLines(normalized: string): SourceLine[] {
  return normalized.split(/\r\n|\r|\n/).map((text, index) => ({ number: index + 1, text }));
}

/** A run of alphanumerics, possibly dash-joined (`abcde-12345`). */
interface Word {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Code groups shown with spaces between them are 3 to 6 characters long (`1234 5678`, Bitwarden's fours). */
const GROUP_MIN = 3;
const GROUP_MAX = 6;
/** Shorter keys are list numbers, years or words; longer ones are hashes or base64 blobs. */
const KEY_MIN = 6;
const KEY_MAX = 64;
/** Words that sit next to codes in notes and must not be glued onto them (`code 1234 5678`). */
const EDGE_WORDS = new Set(['code', 'codes', 'used', 'key', 'keys', 'your', 'here', 'this', 'are', 'the', 'and', 'spent']);

function wordsOf(line: string): Word[] {
  const pattern = /[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*/g;
  const words: Word[] = [];
  for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) {
    words.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  return words;
}

function isGroupWord(word: Word): boolean {
  return !word.text.includes('-') && word.text.length >= GROUP_MIN && word.text.length <= GROUP_MAX;
}

/** Gathers words separated by exactly one space and of equal length: the groups of one code, or of several. */
function runsOf(line: string, words: readonly Word[]): Word[][] {
  const runs: Word[][] = [];
  let index = 0;
  while (index < words.length) {
    const first = words[index];
    if (!first) break;
    const run = [first];
    let previous = first;
    for (let next = words[index + 1]; next; next = words[index + run.length]) {
      const joins =
        isGroupWord(first) &&
        isGroupWord(next) &&
        next.text.length === first.text.length &&
        next.start === previous.end + 1 &&
        line[previous.end] === ' ';
      if (!joins) break;
      run.push(next);
      previous = next;
    }
    runs.push(trimEdges(run));
    index += run.length;
  }
  return runs;
}

const hasDigit = (text: string): boolean => /[0-9]/.test(text);
const isLetters = (text: string): boolean => /^[A-Za-z]+$/.test(text);

/**
 * Drops words glued to the ends of a run that are not part of the code: `code 1234 5678 USED`.
 * A letters-only group at an edge goes when the run has an all-digit group (codes of mixed letters and
 * digits almost never do), or when it is a word that notes put next to codes.
 */
function trimEdges(run: Word[]): Word[] {
  if (run.length < 2) return run;
  const hasDigitGroup = run.some((word) => /^[0-9]+$/.test(word.text));
  const isEdgeWord = (word: Word | undefined): boolean =>
    word !== undefined && isLetters(word.text) && (hasDigitGroup || EDGE_WORDS.has(word.text.toLowerCase()));
  let from = 0;
  let to = run.length;
  while (to - from > 1 && isEdgeWord(run[from])) from += 1;
  while (to - from > 1 && isEdgeWord(run[to - 1])) to -= 1;
  return run.slice(from, to);
}

/** A run cut into the pieces that will become tokens (a run holding two codes gives two pieces). */
function piecesOf(run: readonly Word[], split: SplitRule | null): Word[][] {
  const first = run[0];
  const digits = run.every((word) => /^[0-9]+$/.test(word.text));
  if (!split || !first || run.length <= split.groups || run.length % split.groups !== 0 || first.text.length !== split.length || (split.digitsOnly === true && !digits)) {
    return [run.slice()];
  }
  const pieces: Word[][] = [];
  for (let at = 0; at < run.length; at += split.groups) pieces.push(run.slice(at, at + split.groups));
  return pieces;
}

interface Piece {
  readonly start: number;
  readonly end: number;
  readonly parts: readonly string[];
  readonly separator: ' ' | '-' | '';
}

function toPiece(words: readonly Word[]): Piece | null {
  const first = words[0];
  const last = words[words.length - 1];
  if (!first || !last) return null;
  if (words.length > 1) {
    return { start: first.start, end: last.end, parts: words.map((word) => word.text), separator: ' ' };
  }
  const dashed = first.text.includes('-');
  return { start: first.start, end: first.end, parts: dashed ? first.text.split('-') : [first.text], separator: dashed ? '-' : '' };
}

/**
 * Whether a piece could be a code at all. It needs a digit, except a dash-grouped word of equal
 * groups (`abcd-efgh`, a Discord code that happens to have no digit), which counts only on a line of
 * codes, so that `long-term` in a sentence is not a candidate.
 */
function shapeStrength(piece: Piece): 'strong' | 'weak' | 'letters' | 'none' {
  const key = piece.parts.join('');
  if (key.length < KEY_MIN || key.length > KEY_MAX) return 'none';
  if (hasDigit(key)) return 'strong';
  const length = piece.parts[0]?.length ?? 0;
  if (piece.separator === '-' && piece.parts.length > 1 && piece.parts.every((part) => part.length === length)) return 'weak';
  if (piece.separator === '' && !NOT_CODES.has(key.toLowerCase())) return 'letters';
  return 'none';
}

/** Words that stand alone on a line of a codes page or note and are never codes. */
const NOT_CODES = new Set([
  'backup', 'recovery', 'codes', 'download', 'continue', 'generate', 'regenerate', 'password', 'username', 'account',
  'accounts', 'security', 'settings', 'authentication', 'twofactor', 'cancel', 'confirm', 'submit', 'finish', 'enable',
  'disable', 'scratch', 'tokens', 'printed', 'screenshot', 'verification', 'instagram', 'facebook', 'microsoft',
  'bitwarden', 'discord', 'github', 'gitlab', 'google', 'dropbox', 'twitter', 'proton', 'protonmail', 'apple',
  'atlassian', 'recovered', 'unused', 'remaining', 'redeemed', 'crossed', 'copied', 'burned', 'twofactor',
]);

/** Words that may stand next to codes on a line of codes without making it prose. */
const LABEL_WORDS =
  /\b(?:used|unused|not|yet|spent|redeemed|burned|burnt|crossed|out|code|codes|backup|recovery|key|keys|no|nr|copy|copied|google|github|gitlab|discord|instagram|facebook|microsoft|bitwarden|pypi|npm|proton|dropbox|twitter|apple|auth0|atlassian)\b/g;
/** Words that date a used mark (`used on Nov 2, 2024`, `spent at 10:30`). */
const DATE_WORDS =
  /\b(?:on|at|am|pm|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december)\b/g;

/** Whether what is left of a line, once its codes are cut out, is only numbering, bullets and marks. */
function isCodeLine(line: string, pieces: readonly Piece[]): boolean {
  // Pieces come in line order and do not overlap, so the gaps between them are what is left.
  const gaps = pieces.map((piece, index) => line.slice(index === 0 ? 0 : (pieces[index - 1]?.end ?? 0), piece.start));
  const rest = [...gaps, line.slice(pieces[pieces.length - 1]?.end ?? 0)].join(' ');
  const lower = rest.toLowerCase();
  const marked = USED_WORD.test(lower) || TICK.test(lower) || /\[[x✓✔]\]|~~|<(?:s|del|strike)>/.test(lower);
  const residue = lower
    .replace(/<\/?(?:s|del|strike)>|\[[ x✓✔]?\]/g, ' ')
    .replace(LABEL_WORDS, ' ')
    // Words that date a used mark count only next to a used mark.
    .replace(marked ? DATE_WORDS : /$^/g, ' ')
    .replace(/\b[0-9]{1,3}\b/g, ' ')
    // A letter standing alone is a bullet, a box or a tick as OCR reads it (`o 1234 5678`, `1234 5678 v`).
    .replace(/(?<![\p{L}\p{N}])\p{L}(?![\p{L}\p{N}])/gu, ' ')
    .replace(/[^\p{L}\p{N}]/gu, '');
  return residue === '';
}

/** A list number, then bullets, checkbox or strike opener: where the text in front of a code begins. */
const LEADING = /(?<![0-9A-Za-z])(?:(?:#\s?[0-9]{1,3}|\(?[0-9]{1,3}[.):\]])\s*)?(?:[-*•·‣◦▪]\s+)?(?:\[[ xX✓✔]?\]\s*)?(?:~~|<(?:s|del|strike)>)?\s*$/i;
const ORDINAL = /^(?:#\s?([0-9]{1,3})|\(?([0-9]{1,3})[.):\]])/;
const USED_WORD = /(?:^|[^\p{L}])(?:used|spent|redeemed|burned|burnt|crossed out)(?![\p{L}])/iu;
const NOT_USED = /(?:^|[^\p{L}])(?:unused|not (?:yet )?used)(?![\p{L}])/iu;
const TICK = /[✓✔✅☑✗✘❌]/u;

/** The text around each piece: what leads into it and what trails it, up to the next piece's lead. */
function surroundings(line: string, pieces: readonly Piece[]): { leading: string; trailing: string }[] {
  const leads = pieces.map((piece, index) => {
    const gapStart = index === 0 ? 0 : (pieces[index - 1]?.end ?? 0);
    const gap = line.slice(gapStart, piece.start);
    if (index === 0) return { from: gapStart, text: gap };
    // The strike-through closer right after the previous code belongs to it, not to this one.
    const closer = /^(?:~~|<\/(?:s|del|strike)>)/i.exec(gap)?.[0].length ?? 0;
    const match = LEADING.exec(gap.slice(closer));
    const offset = closer + (match ? match.index : gap.length - closer);
    return { from: gapStart + offset, text: gap.slice(offset) };
  });
  return pieces.map((piece, index) => {
    const next = leads[index + 1];
    return { leading: leads[index]?.text ?? '', trailing: line.slice(piece.end, next ? next.from : line.length) };
  });
}

function isMarkedUsed(leading: string, trailing: string): boolean {
  const struck = /(?:~~|<(?:s|del|strike)>)\s*$/i.test(leading) && /^\s*(?:~~|<\/(?:s|del|strike)>)/i.test(trailing);
  const ticked = /\[[xX✓✔]\]/.test(leading);
  const said = (text: string): boolean => !NOT_USED.test(text) && (USED_WORD.test(text) || TICK.test(text));
  return struck || ticked || said(trailing) || said(leading);
}

function ordinalOf(leading: string): number | null {
  const match = ORDINAL.exec(leading.trimStart());
  const digits = match ? (match[1] ?? match[2]) : undefined;
  return digits === undefined ? null : Number(digits);
}

/** Scans one line into tokens. */
function scanLine(line: SourceLine, split: SplitRule | null): Token[] {
  const strengths = new Map<Piece, ReturnType<typeof shapeStrength>>();
  for (const run of runsOf(line.text, wordsOf(line.text))) {
    for (const words of piecesOf(run, split)) {
      const piece = toPiece(words);
      const strength = piece ? shapeStrength(piece) : 'none';
      if (piece && strength !== 'none') strengths.set(piece, strength);
    }
  }
  if (strengths.size === 0) return [];
  const strengthOf = (piece: Piece): ReturnType<typeof shapeStrength> => strengths.get(piece) ?? 'none';
  const all = [...strengths.keys()];
  const pieces = all.filter((piece) => strengthOf(piece) !== 'letters');
  const letters = all.filter((piece) => strengthOf(piece) === 'letters');
  const structure = (piece: Piece): string => `${piece.separator}${piece.parts.map((part) => part.length).join(',')}`;
  // Words of letters count where they can be codes without a digit: on a line of codes whose words are
  // all of one length (`kqmzvtaw`, perhaps with `USED 2024-11-02` after it, a code beside it, or two
  // columns of such words), or in a row of at least three pieces of
  // one group structure with a digit among them (one CSV row of codes). Recognize then keeps them only
  // where the codes around them share their shape.
  const length = (piece: Piece): number => piece.end - piece.start;
  const alike = letters.length > 0 && letters.every((piece) => length(piece) === length(letters[0] ?? piece)) && isCodeLine(line.text, all);
  const counts = new Map<string, number>();
  for (const piece of all) counts.set(structure(piece), (counts.get(structure(piece)) ?? 0) + 1);
  const rows = new Set(all.filter((piece) => strengthOf(piece) === 'strong' && (counts.get(structure(piece)) ?? 0) >= 3).map(structure));
  const inRow = (piece: Piece): boolean => rows.size > 0 && rows.has(structure(piece));
  const words = alike ? letters : letters.filter(inRow);
  const onCodeLine = alike || isCodeLine(line.text, pieces);
  // Weak pieces count only where the whole line is codes or in a row; drop them and look again otherwise.
  const kept = (onCodeLine ? pieces : pieces.filter((piece) => strengthOf(piece) === 'strong' || inRow(piece)))
    .concat(words)
    .sort((a, b) => a.start - b.start);
  const around = surroundings(line.text, kept);
  return kept.map((piece, index) => {
    const { leading, trailing } = around[index] ?? { leading: '', trailing: '' };
    return {
      text: line.text.slice(piece.start, piece.end),
      line,
      start: piece.start,
      end: piece.end,
      parts: piece.parts,
      separator: piece.separator,
      ordinal: ordinalOf(leading),
      used: isMarkedUsed(leading, trailing),
      onCodeLine,
      digitless: words.includes(piece),
    };
  });
}

/** Scans every line; `split` cuts runs of groups into codes of a known number of groups. */
export function scanLines(lines: readonly SourceLine[], split: SplitRule | null): Token[] {
  // One recognition scans the same lines with the same rule several times (choosing a layout, then
  // reading it); the tokens are immutable, so each scan is done once.
  const key = split ? `${split.groups}:${split.length}:${split.digitsOnly === true}` : '';
  const cache = scans.get(lines) ?? new Map<string, Token[]>();
  scans.set(lines, cache);
  const known = cache.get(key);
  if (known) return [...known];
  const tokens = lines.flatMap((line) => scanLine(line, split));
  cache.set(key, tokens);
  return [...tokens];
}

const scans = new WeakMap<readonly SourceLine[], Map<string, Token[]>>();

/** The group structure of a token, such as `-5,5` or ` 4,4`: tokens of one batch share it. */
export function shapeOf(token: Pick<Token, 'parts' | 'separator'>): string {
  return `${token.separator}${token.parts.map((part) => part.length).join(',')}`;
}

/** The comparison key of a token, as `codeKey` would give it. */
export function keyOf(token: Pick<Token, 'parts'>): string {
  return token.parts.join('').toLowerCase();
}
