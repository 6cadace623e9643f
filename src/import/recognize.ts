import { displayCode, normalizeText } from '../domain/index.js';
import { contextDoubtOf, doubtOf, shapeDoubtOf } from './doubts.js';
import { layoutByFileName, layoutsByHeader, type Layout } from './layouts.js';
import type { IncomingCode } from '../domain/index.js';
import type { Candidate, Reading, Recognition, RecognizeOptions, ServiceId } from './recognition.js';
import { keyOf, scanLines, shapeOf, splitLines, type SourceLine, type SplitRule, type Token } from './scan.js';

/** No service's file comes near this; a bigger text is something else, and reading it costs time. */
const MAX_TEXT_LENGTH = 1_000_000;
/** A lone code shorter than this (an 8-digit number, say) could be anything. */
const LONE_CODE_MIN = 12;

/**
 * Reads the backup codes in a text: a file a service let the user download, a block copied from a web
 * page, an old note, the OCR or PDF text of a printed sheet.
 *
 * Codes come back in the service's order, in normalized display form, each one literally present in the
 * normalized text (docs/formats.md, "Normalization"). The answer is `confident` only for a known layout
 * that fits or for an unambiguous list; when anything could be a date, a phone number, a PIN, a ticket
 * number or part of an address, it is `ambiguous` with every candidate and its doubt; `none` when
 * nothing looks like a code. It never throws and never reads anything but its arguments.
 */
export function recognize(text: string, options: RecognizeOptions): Recognition {
  if (text.length > MAX_TEXT_LENGTH) {
    return { confidence: 'none', explanation: 'the text is far longer than any backup-code file, so it was not read' };
  }
  const lines = splitLines(normalizeText(text));
  const choice = chooseLayout(lines, options.fileName);
  return choice.kind === 'layout' ? byLayout(lines, choice.layout, choice.label) : byShape(lines, choice.services);
}

type Choice =
  | { readonly kind: 'layout'; readonly layout: Layout; readonly label: string }
  | { readonly kind: 'shape'; readonly services: readonly ServiceId[] };

/**
 * Picks the layout the file name or a header names, provided the text holds at least one code of its
 * shape (a file renamed by hand proves nothing). Several services named in one text leave it open.
 */
function chooseLayout(lines: readonly SourceLine[], fileName: string | undefined): Choice {
  const fits = (layout: Layout): boolean =>
    scanLines(lines, layout.split).some((token) => token.onCodeLine && !token.digitless && layout.code.test(token.text));
  const byFile = layoutByFileName(fileName);
  if (byFile && fits(byFile)) return { kind: 'layout', layout: byFile, label: byFile.fileLabel };
  const fitting = layoutsByHeader(lines.map((line) => line.text)).filter(fits);
  const only = fitting.length === 1 ? fitting[0] : undefined;
  return only ? { kind: 'layout', layout: only, label: only.label } : { kind: 'shape', services: fitting.map((layout) => layout.service) };
}

/** A token and what speaks against it. */
interface Judged {
  readonly token: Token;
  readonly doubt: string | null;
  /** Whether its doubt stops a confident answer (stray numbers in a header do not). */
  readonly blocking: boolean;
  /** Whether it is one of the batch's codes if all goes well. */
  readonly isCode: boolean;
}

const NOT_ON_CODE_LINE = 'inside a sentence, not on a line of codes';

/** Reads a text whose layout is known: codes of the layout's shape, at most as many as it issues. */
function byLayout(lines: readonly SourceLine[], layout: Layout, label: string): Recognition {
  const judged = markDuplicates(
    scanLines(lines, layout.split)
      .filter((token) => !token.digitless)
      .map((token): Judged => {
      const fits = layout.code.test(token.text);
      if (fits) {
        const doubt = doubtOf(token, true) ?? (token.onCodeLine ? null : NOT_ON_CODE_LINE);
        return { token, doubt, blocking: true, isCode: true };
      }
      const doubt = token.onCodeLine ? `not shaped like a ${layout.codeName}` : (doubtOf(token, true) ?? 'outside the list of codes');
      return { token, doubt, blocking: token.onCodeLine, isCode: false };
    }),
  );
  const ordered = inServiceOrder(judged);
  const codes = ordered.filter((entry) => entry.isCode);
  const problems: string[] = [];
  if (codes.length > layout.most) {
    problems.push(`${layout.label} hold at most ${layout.most} code${layout.most === 1 ? '' : 's'}, but the text has ${codes.length}`);
  }
  if (problems.length === 0 && ordered.every((entry) => !entry.blocking || entry.doubt === null)) {
    return {
      confidence: 'confident',
      service: layout.service,
      label,
      codes: codes.map(({ token }) => ({ code: displayCode(token.text), used: token.used })),
    };
  }
  return ambiguous(layout.service, label, ordered, problems);
}

/** Reads a text of no known layout: confident only for a clean list of codes of one shape. */
function byShape(lines: readonly SourceLine[], services: readonly ServiceId[]): Recognition {
  const first = scanLines(lines, null);
  if (first.every((token) => token.digitless)) {
    return {
      confidence: 'none',
      explanation: 'nothing in the text has the shape of a backup code (6 to 64 letters and digits, with a digit)',
    };
  }
  const split = batchSplit(first);
  const tokens = split ? scanLines(lines, split) : first;
  const ordered = loneCodeDoubt(lines, inServiceOrder(markDuplicates(byStructure(tokens))));
  const problems: string[] = [];
  if (services.length > 1) {
    problems.push(`the text names more than one service (${services.join(', ')}), so which codes belong to which is for you to say`);
  }
  const label = services.length > 1 ? 'codes of several services' : 'a text with possible codes';
  const unsettled = ordered.filter((entry) => entry.isCode && isUnsettledRun(entry.token));
  if (unsettled.length > 0) return oneOrSeveral(lines, ordered, unsettled, label, problems);
  const sets = setsOf(lines, ordered);
  if (sets.length > 1) return whichSet(ordered, sets, label, problems);
  if (problems.length === 0 && ordered.every((entry) => !entry.blocking || entry.doubt === null)) {
    const codes = ordered.filter((entry) => entry.isCode);
    return {
      confidence: 'confident',
      service: null,
      label: codes.length === 1 ? 'a single code' : 'a plain list of codes',
      codes: codes.map(({ token }) => ({ code: displayCode(token.text), used: token.used })),
    };
  }
  return ambiguous(null, label, ordered, problems);
}

const isDigits = (text: string): boolean => /^[0-9]+$/.test(text);

/**
 * Cuts runs of digit groups into codes when the text's own structure says how. Some lines hold codes
 * of two groups and others runs of four: those runs are two codes side by side (a two-column sheet).
 * Several runs of four groups of four digits are two eight-digit codes each, since no service hands out
 * a batch of sixteen-digit codes (Dropbox's sixteen-digit emergency code comes alone). Only digit runs
 * are cut: a long code of letters and digits in groups of four (a recovery key) is one code.
 */
function batchSplit(tokens: readonly Token[]): SplitRule | null {
  const runs = tokens.filter((token) => token.onCodeLine && token.separator === ' ' && token.parts.every(isDigits));
  const length = Number(mostCommon(runs.map((token) => String(token.parts[0]?.length ?? 0))) ?? 0);
  const counts = runs.filter((token) => token.parts[0]?.length === length).map((token) => token.parts.length);
  const distinct = [...new Set(counts)].sort((a, b) => a - b);
  if (length === 4 && counts.length >= 2 && counts.every((count) => count % 2 === 0)) return { groups: 2, length, digitsOnly: true };
  const groups = distinct.find((k) => distinct.every((count) => count % k === 0));
  return groups === undefined ? null : { groups, length, digitsOnly: true };
}

/** A run of four or more groups of four digits that nothing in the text cuts: one code or several? */
function isUnsettledRun(token: Token): boolean {
  return token.separator === ' ' && token.parts.length >= 4 && token.parts.length % 2 === 0 && token.parts.every((part) => part.length === 4 && isDigits(part));
}

/** Asks whether each unsettled run is one long code or eight-digit codes side by side, the latter ticked. */
function oneOrSeveral(lines: readonly SourceLine[], whole: readonly Judged[], unsettled: readonly Judged[], label: string, problems: readonly string[]): Recognition {
  const cut = loneCodeDoubt(lines, inServiceOrder(markDuplicates(byStructure(scanLines(lines, { groups: 2, length: 4, digitsOnly: true })))));
  const runs = unsettled.map(({ token }) => `line ${token.line.number} holds ${token.parts.length} groups of four digits: ${token.parts.length / 2} eight-digit codes side by side, or one code of ${token.parts.length * 4} digits`);
  const readings: Reading[] = [
    { label: 'eight-digit codes', codes: codesOf(cut) },
    { label: 'the runs of digits as single codes', codes: codesOf(whole) },
  ];
  return ambiguous(null, label, cut, [...problems, ...runs], readings);
}

/** One set of codes: the codes between two headings or blank lines. */
interface CodeSet {
  readonly entries: readonly Judged[];
  readonly from: number;
  readonly to: number;
}

/**
 * Splits the codes into sets: blocks of at least three codes, apart from each other by a heading or a
 * blank line, whose numbering (if any) does not run on from one block into the next. An old set and the
 * new one that replaced it look exactly like this, and so do the codes of two accounts in one note.
 */
function setsOf(lines: readonly SourceLine[], ordered: readonly Judged[]): CodeSet[] {
  // Only candidates without a doubt make a set: a phone number, a ticket and a date under a note's
  // heading are not a set of codes, and must not make the real codes below them look like a second one.
  const codes = ordered.filter((entry) => entry.isCode && entry.doubt === null);
  const codeLines = new Set(codes.map((entry) => entry.token.line.number));
  const blockOf = new Map<number, number>();
  let block = 0;
  let gap = false;
  for (const line of lines) {
    if (codeLines.has(line.number)) {
      if (gap && blockOf.size > 0) block += 1;
      gap = false;
      blockOf.set(line.number, block);
    } else if (line.text.trim() === '' || /\p{L}/u.test(line.text)) {
      gap = true;
    }
  }
  const blocks: Judged[][] = [];
  for (const entry of codes) (blocks[blockOf.get(entry.token.line.number) ?? 0] ??= []).push(entry);
  const sets = blocks.filter((entries) => entries.length >= 3);
  if (sets.length < 2) return [];
  const continues = sets.every((set, index) => {
    const previous = sets[index - 1];
    const last = previous?.[previous.length - 1]?.token.ordinal;
    return index === 0 || (last !== null && last !== undefined && set[0]?.token.ordinal === last + 1);
  });
  if (continues) return [];
  return sets.map((entries) => ({
    entries,
    from: entries[0]?.token.line.number ?? 0,
    to: entries[entries.length - 1]?.token.line.number ?? 0,
  }));
}

/** Two sets of the same shape: which one is current is for the user to say; nothing is ticked. */
function whichSet(ordered: readonly Judged[], sets: readonly CodeSet[], label: string, problems: readonly string[]): Recognition {
  const where = sets.map((set) => `lines ${set.from}-${set.to}`);
  const doubted = ordered.map((entry) => {
    const index = sets.findIndex((set) => set.entries.includes(entry));
    return index < 0 ? entry : { ...entry, doubt: entry.doubt ?? `in set ${index + 1} of ${sets.length} (${where[index] ?? ''})` };
  });
  const readings: Reading[] = [
    ...sets.map((set, index) => ({ label: `set ${index + 1} (${where[index] ?? ''})`, codes: codesOf(set.entries) })),
    { label: 'all sets together', codes: codesOf(sets.flatMap((set) => set.entries)) },
  ];
  const shapes = new Set(sets.flatMap((set) => set.entries.map((entry) => familyKey(entry.token)))).size;
  const problem =
    shapes === 1
      ? `the text holds ${sets.length} sets of codes of the same shape (${where.join(' and ')}): an old set and the one that replaced it look like this, so which one is current is for you to say`
      : `the text holds ${sets.length} sets of codes (${where.join(' and ')}): they may belong to different accounts, so which one to store is for you to say`;
  return ambiguous(null, label, doubted, [...problems, problem], readings);
}

function codesOf(judged: readonly Judged[]): IncomingCode[] {
  return judged.filter((entry) => entry.isCode).map(({ token }) => ({ code: displayCode(token.text), used: token.used }));
}

/** The length and alphabet of a code, which the codes of one batch share. */
interface Family {
  readonly length: number;
  readonly alphabet: RegExp;
}

/** From narrowest to widest: digits, hexadecimal (either case), letters and digits of one case, of both. */
const ALPHABETS: readonly RegExp[] = [/^[0-9]+$/, /^[0-9a-f]+$/, /^[0-9A-F]+$/, /^[0-9a-z]+$/, /^[0-9A-Z]+$/, /^[0-9A-Za-z]+$/];

const rawKeys = new WeakMap<Token, string>();

/** The token's characters without separators, in their case (worked out once per token). */
function rawKey(token: Token): string {
  const known = rawKeys.get(token);
  if (known !== undefined) return known;
  const key = token.parts.join('');
  rawKeys.set(token, key);
  return key;
}

function familyKey(token: Token): string {
  const key = rawKey(token);
  return `${key.length}:${ALPHABETS.findIndex((alphabet) => alphabet.test(key))}`;
}

/** The family most clean codes share: their most common length and the narrowest alphabet that covers them. */
function familyOf(clean: readonly Token[]): Family | null {
  const length = Number(mostCommon(clean.map((token) => String(rawKey(token).length))) ?? 0);
  const same = clean.filter((token) => rawKey(token).length === length);
  const alphabet = ALPHABETS.find((candidate) => same.every((token) => candidate.test(rawKey(token))));
  return same.length === 0 || !alphabet ? null : { length, alphabet };
}

const fits = (token: Token, family: Family): boolean => rawKey(token).length === family.length && family.alphabet.test(rawKey(token));

/** Whether the token's line holds at least three tokens of its length: a row of codes (one CSV row, a pasted line). */
function inRow(token: Token, perLine: ReadonlyMap<SourceLine, readonly Token[]>): boolean {
  const length = rawKey(token).length;
  return (perLine.get(token.line) ?? []).filter((other) => rawKey(other).length === length).length >= 3;
}

/**
 * Weighs each token's doubts against the structure around it. The codes of a batch share a family; a
 * token of the family on a line of codes is a code even when its shape alone raises a doubt (an
 * eight-digit code that reads as a date), as long as clean codes outnumber such doubts. What its
 * surroundings say (a phone label, an address, a currency sign) still counts. A token of another family
 * with a doubt of its own (the date after `USED`, a phone number under the list) is not a code and does
 * not stop the answer; a letters-only word is a code only alone on a line among at least three codes of
 * its family.
 */
function byStructure(tokens: readonly Token[]): Judged[] {
  const perLine = new Map<SourceLine, Token[]>();
  for (const token of tokens) (perLine.get(token.line) ?? perLine.set(token.line, []).get(token.line))?.push(token);
  const first = tokens.map((token) => ({
    token,
    context: token.digitless ? null : contextDoubtOf(token),
    shape: token.digitless ? null : shapeDoubtOf(token),
    listed: token.onCodeLine || inRow(token, perLine),
  }));
  const clean = first.filter((entry) => !entry.token.digitless && entry.listed && entry.context === null && entry.shape === null);
  const family = familyOf(clean.map((entry) => entry.token));
  const cleanInFamily = family ? clean.filter((entry) => fits(entry.token, family)).length : 0;
  const shapeDoubtedInFamily = family ? first.filter((entry) => entry.listed && entry.shape !== null && fits(entry.token, family)).length : 0;
  const structureWins = cleanInFamily >= 2 && cleanInFamily > shapeDoubtedInFamily;
  const shape = mostCommon(clean.filter((entry) => family !== null && fits(entry.token, family)).map((entry) => shapeOf(entry.token)));
  const aloneOnLine = (token: Token): boolean => perLine.get(token.line)?.length === 1;
  // The length codes have here: the family's, else that of every listed token with a digit, if they agree.
  const anchorLengths = new Set(first.filter((entry) => !entry.token.digitless && entry.listed).map((entry) => rawKey(entry.token).length));
  const codeLength = family?.length ?? (anchorLengths.size === 1 ? [...anchorLengths][0] : undefined);
  const inList = listedWithCodes(first, codeLength, aloneOnLine);
  return first.flatMap(({ token, context, shape: shapeDoubt, listed }): Judged[] => {
    const fitting = family !== null && fits(token, family);
    if (token.digitless) {
      if (fitting && cleanInFamily >= 3 && listed) return [{ token, doubt: null, blocking: true, isCode: true }];
      // Too few codes around it to tell a code without a digit from a word: asked, never dropped.
      const sameLength = codeLength !== undefined && rawKey(token).length === codeLength && (listed || inList.has(token.line.number));
      return sameLength ? [{ token, doubt: 'has no digit: could be a word', blocking: true, isCode: true }] : [];
    }
    if (fitting && shapeDoubt !== null && shapeOf(token) !== shape && !aloneOnLine(token)) {
      // Written otherwise than the codes and next to one (the date in `1234 5678 used on 2024-11-02`).
      return [{ token, doubt: shapeDoubt, blocking: false, isCode: false }];
    }
    if (fitting) {
      const overruled = structureWins && shapeOf(token) === shape;
      const doubt = context ?? (listed ? (overruled ? null : shapeDoubt) : (shapeDoubt ?? NOT_ON_CODE_LINE));
      return [{ token, doubt, blocking: true, isCode: true }];
    }
    const doubt = context ?? shapeDoubt ?? (listed ? null : NOT_ON_CODE_LINE);
    if (doubt !== null) return [{ token, doubt, blocking: family === null, isCode: family === null }];
    return [{ token, doubt: family ? 'not the same shape as the other codes' : null, blocking: true, isCode: true }];
  });
}

/**
 * The lines of letters-only tokens that stand alone on their line inside a list of codes: joined to a line
 * of a listed code of the same length by lines that are all codes or such tokens, with no blank line or other
 * text between. A list of eight-letter tokens where most happen to have no digit is still a list.
 */
function listedWithCodes(
  first: readonly { readonly token: Token; readonly listed: boolean }[],
  codeLength: number | undefined,
  aloneOnLine: (token: Token) => boolean,
): Set<number> {
  if (codeLength === undefined) return new Set();
  const codeLines = new Set(
    first.filter((entry) => !entry.token.digitless && entry.listed && rawKey(entry.token).length === codeLength).map((entry) => entry.token.line.number),
  );
  const wordLines = new Set(
    first.filter((entry) => entry.token.digitless && aloneOnLine(entry.token) && rawKey(entry.token).length === codeLength).map((entry) => entry.token.line.number),
  );
  const reached = new Set<number>();
  for (const start of codeLines) {
    for (const step of [-1, 1]) {
      for (let line = start + step; wordLines.has(line) || codeLines.has(line); line += step) if (wordLines.has(line)) reached.add(line);
    }
  }
  return reached;
}

/** Words of a heading that announces codes. */
const CODE_HEADING = /\b(?:codes?|tokens?|keys?|backup|recovery|scratch)\b/i;

/**
 * A single short code on its own could be any number or word, unless a heading just above it (or on
 * its line) says it is a code: `Gitea scratch token`, then the token.
 */
function loneCodeDoubt(lines: readonly SourceLine[], ordered: readonly Judged[]): Judged[] {
  const codes = ordered.filter((entry) => entry.isCode);
  const only = codes.length === 1 ? codes[0] : undefined;
  if (!only || only.doubt !== null || keyOf(only.token).length >= LONE_CODE_MIN) return [...ordered];
  const at = only.token.line.number;
  const heading = lines.slice(Math.max(0, at - 3), at).some((line) => CODE_HEADING.test(line.text));
  return heading ? [...ordered] : ordered.map((entry) => (entry === only ? { ...entry, doubt: 'a single short code on its own could be any number or word' } : entry));
}

/** A batch holds each code once: a second copy is a mistake or something else. */
function markDuplicates(judged: readonly Judged[]): Judged[] {
  const firstLine = new Map<string, number>();
  return judged.map((entry) => {
    if (!entry.isCode) return entry;
    const key = keyOf(entry.token);
    const seen = firstLine.get(key);
    if (seen === undefined) {
      firstLine.set(key, entry.token.line.number);
      return entry;
    }
    return { ...entry, doubt: entry.doubt ?? `the same code as on line ${seen}`, blocking: true };
  });
}

/**
 * Puts the codes in the service's order. Services number their codes, and a two-column file read line by
 * line gives 1, 6, 2, 7...: when every code on a line of codes carries a distinct number, the numbers win.
 */
function inServiceOrder(judged: readonly Judged[]): Judged[] {
  const listed = judged.filter((entry) => entry.token.onCodeLine && entry.isCode);
  const ordinals = listed.map((entry) => entry.token.ordinal);
  const numbered = ordinals.every((ordinal) => ordinal !== null) && new Set(ordinals).size === ordinals.length;
  if (!numbered || listed.length < 2) return [...judged];
  const sorted = [...listed].sort((a, b) => (a.token.ordinal ?? 0) - (b.token.ordinal ?? 0));
  let next = 0;
  return judged.map((entry) => (listed.includes(entry) ? (sorted[next++] ?? entry) : entry));
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | undefined;
  for (const [value, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = value;
  return best;
}

function ambiguous(
  service: ServiceId | null,
  label: string,
  judged: readonly Judged[],
  problems: readonly string[],
  readings?: readonly Reading[],
): Recognition {
  const candidates: Candidate[] = judged.map(({ token, doubt }) => ({
    code: displayCode(token.text),
    used: token.used,
    line: token.line.number,
    doubt,
  }));
  const explanation = explain(candidates, problems);
  return readings
    ? { confidence: 'ambiguous', service, label, candidates, explanation, readings }
    : { confidence: 'ambiguous', service, label, candidates, explanation };
}

/** One sentence: what does not fit, then how many candidates are in doubt and why (the first three reasons). */
function explain(candidates: readonly Candidate[], problems: readonly string[]): string {
  const doubtful = candidates.filter((candidate) => candidate.doubt !== null);
  const reasons = [...new Set(doubtful.map((candidate) => candidate.doubt))];
  const shown = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? '; ...' : '');
  const doubts = doubtful.length > 0 ? [`${doubtful.length} of ${candidates.length} candidates may not be codes (${shown})`] : [];
  return [...problems, ...doubts].join('; ') || 'the text does not fit its layout';
}
