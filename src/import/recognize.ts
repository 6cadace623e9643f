import { displayCode, normalizeText } from '../domain/index.js';
import { doubtOf } from './doubts.js';
import { layoutByFileName, layoutsByHeader, type Layout } from './layouts.js';
import type { Candidate, Recognition, RecognizeOptions, ServiceId } from './recognition.js';
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
    scanLines(lines, layout.split).some((token) => token.onCodeLine && layout.code.test(token.text));
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
    scanLines(lines, layout.split).map((token): Judged => {
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
  if (first.length === 0) {
    return {
      confidence: 'none',
      explanation: 'nothing in the text has the shape of a backup code (6 to 64 letters and digits, with a digit)',
    };
  }
  const split = batchSplit(first);
  const tokens = split ? scanLines(lines, split) : first;
  const judged = markDuplicates(markOddShapes(
    tokens.map((token): Judged => {
      const doubt = doubtOf(token, false) ?? (token.onCodeLine ? null : NOT_ON_CODE_LINE);
      return { token, doubt, blocking: true, isCode: true };
    }),
  ));
  const ordered = inServiceOrder(judged).map((entry, _, all) =>
    all.length === 1 && entry.doubt === null && keyOf(entry.token).length < LONE_CODE_MIN
      ? { ...entry, doubt: 'a single short code on its own could be any number or word' }
      : entry,
  );
  const problems: string[] = [];
  if (services.length > 1) {
    problems.push(`the text names more than one service (${services.join(', ')}), so which codes belong to which is for you to say`);
  }
  if (problems.length === 0 && ordered.every((entry) => entry.doubt === null)) {
    return {
      confidence: 'confident',
      service: null,
      label: ordered.length === 1 ? 'a single code' : 'a plain list of codes',
      codes: ordered.map(({ token }) => ({ code: displayCode(token.text), used: token.used })),
    };
  }
  return ambiguous(null, services.length > 1 ? 'codes of several services' : 'a text with possible codes', ordered, problems);
}

/**
 * When some lines hold codes of, say, two groups of four and others runs of four groups, those runs are
 * two codes written side by side (OCR of a two-column sheet), not one long code. The batch's number of
 * groups is the smallest that every run of the common group length is a multiple of.
 */
function batchSplit(tokens: readonly Token[]): SplitRule | null {
  const runs = tokens.filter((token) => token.onCodeLine && token.separator === ' ');
  const length = Number(mostCommon(runs.map((token) => String(token.parts[0]?.length ?? 0))) ?? 0);
  const counts = [...new Set(runs.filter((token) => token.parts[0]?.length === length).map((token) => token.parts.length))];
  const groups = counts.sort((a, b) => a - b).find((k) => counts.every((count) => count % k === 0));
  return groups === undefined ? null : { groups, length };
}

/** Codes of one batch share one shape: an odd one out is probably something else. */
function markOddShapes(judged: readonly Judged[]): Judged[] {
  const shape = mostCommon(judged.filter((entry) => entry.doubt === null).map((entry) => shapeOf(entry.token)));
  return judged.map((entry) =>
    entry.doubt === null && shapeOf(entry.token) !== shape ? { ...entry, doubt: 'not the same shape as the other codes' } : entry,
  );
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

function ambiguous(service: ServiceId | null, label: string, judged: readonly Judged[], problems: readonly string[]): Recognition {
  const candidates: Candidate[] = judged.map(({ token, doubt }) => ({
    code: displayCode(token.text),
    used: token.used,
    line: token.line.number,
    doubt,
  }));
  return { confidence: 'ambiguous', service, label, candidates, explanation: explain(candidates, problems) };
}

/** One sentence: what does not fit, then how many candidates are in doubt and why (the first three reasons). */
function explain(candidates: readonly Candidate[], problems: readonly string[]): string {
  const doubtful = candidates.filter((candidate) => candidate.doubt !== null);
  const reasons = [...new Set(doubtful.map((candidate) => candidate.doubt))];
  const shown = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? '; ...' : '');
  const doubts = doubtful.length > 0 ? [`${doubtful.length} of ${candidates.length} candidates may not be codes (${shown})`] : [];
  return [...problems, ...doubts].join('; ') || 'the text does not fit its layout';
}
