import type { SheetCode, SheetPage } from './sheet-pages.js';
import { charColumns, textColumns } from './columns.js';
import { terminalText } from './sanitize.js';

/**
 * The paper sheet as plain text for `lp`: at most 80 columns, ASCII decoration, one page per batch with
 * a form feed between pages. Text from the vault is printed as it is, except characters that would move
 * the print head, reorder the line or hide (control, format and bidirectional characters), which the one
 * sanitizer (sanitize.ts) writes out as `<U+XXXX>`.
 */

const WIDTH = 80;
const INDENT = '  ';
const LABEL_WIDTH = 10;
/** Between the two columns of codes. */
const GAP = '    ';

/** Big letters for the banner of a superseded batch, 5 rows each. */
const LETTERS: Readonly<Record<string, readonly string[]>> = {
  S: [' ####', '#    ', ' ### ', '    #', '#### '],
  U: ['#   #', '#   #', '#   #', '#   #', ' ### '],
  P: ['#### ', '#   #', '#### ', '#    ', '#    '],
  E: ['#####', '#    ', '#### ', '#    ', '#####'],
  R: ['#### ', '#   #', '#### ', '#  # ', '#   #'],
  D: ['#### ', '#   #', '#   #', '#   #', '#### '],
};

/** Renders the pages as one text, pages separated by form feeds, ending in a newline. */
export function renderTextSheet(pages: readonly SheetPage[]): string {
  return pages.map((page) => `${textPage(page).map((line) => line.trimEnd()).join('\n')}\n`).join('\f');
}

function textPage(page: SheetPage): string[] {
  const lines: string[] = [];
  if (page.superseded) lines.push(...banner(page), '');
  const title = page.superseded ? 'OLD TWO-FACTOR BACKUP CODES' : 'TWO-FACTOR BACKUP CODES';
  lines.push(title.padEnd(WIDTH - 'lifeboat'.length) + 'lifeboat', '='.repeat(WIDTH), '');
  lines.push(...field('Account', page.accountName));
  if (page.service !== null) lines.push(...field('Service', page.service));
  if (page.username !== null) lines.push(...field('Username', page.username));
  lines.push(...field('Batch', `${page.fingerprint}, added ${page.addedOn}`));
  if (page.supersededOn !== null) lines.push(...field('Replaced', page.supersededOn));
  lines.push(...field('Printed', page.printedAt));
  lines.push(...field('Left', `${page.unspent.length} of ${page.codes.length} codes unused`), '');
  lines.push(...codeGrid(page.codes), '');
  lines.push('-'.repeat(WIDTH));
  if (page.superseded) {
    lines.push(`${INDENT}* These codes no longer work: do not use them.`);
    lines.push(`${INDENT}* Keep this sheet as a record only, or destroy it.`);
  } else {
    lines.push(`${INDENT}* Cross a code off when you use it.`);
    lines.push(`${INDENT}* Destroy this sheet when you generate new codes.`);
  }
  return lines;
}

function banner(page: SheetPage): string[] {
  const word = [...'SUPERSEDED'].map((letter) => LETTERS[letter] ?? []);
  const big = [0, 1, 2, 3, 4].map((row) => word.map((glyph) => glyph[row] ?? '').join('  '));
  const when = page.supersededOn === null ? 'were replaced by a newer batch' : `were replaced on ${page.supersededOn}`;
  const rule = '#'.repeat(WIDTH);
  return [
    rule,
    '',
    ...big.map(center),
    '',
    center(`SUPERSEDED: these codes ${when}`),
    center('and no longer work. Do not use them.'),
    '',
    rule,
  ];
}

function center(text: string): string {
  return ' '.repeat(Math.max(0, Math.floor((WIDTH - width(text)) / 2))) + text;
}

/** A labelled line, its value wrapped under itself when it is long. */
function field(label: string, value: string): string[] {
  const lead = INDENT + label.padEnd(LABEL_WIDTH);
  return wrap(clean(value), WIDTH - lead.length).map((part, index) => (index === 0 ? lead : ' '.repeat(lead.length)) + part);
}

/**
 * The codes with a tick box each, numbered down the first column and then the second; one column
 * when two would not fit in 80 columns, and a code too long even for that wrapped under itself.
 */
function codeGrid(codes: readonly SheetCode[]): string[] {
  const numberWidth = String(codes.length).length;
  const codeWidth = Math.max(0, ...codes.map((code) => width(clean(code.code))));
  const used = '  used';
  // `[ ] 12  ` before the code, `  used` after it.
  const lead = 4 + numberWidth + 2;
  const cellWidth = lead + codeWidth + used.length;
  const columns = INDENT.length + 2 * cellWidth + GAP.length <= WIDTH ? 2 : 1;
  const cells = codes.map((code) => {
    const box = code.spent ? '[X] ' : '[ ] ';
    const prefix = box + String(code.number).padStart(numberWidth) + '  ';
    const room = WIDTH - INDENT.length - lead - used.length;
    const parts = wrap(clean(code.code), room);
    return parts.map((part, index) => {
      const start = index === 0 ? prefix : ' '.repeat(lead);
      const end = code.spent && index === parts.length - 1 ? used : '';
      return (start + part + end).padEnd(cellWidth);
    });
  });
  // In two columns every code fits on one line.
  const half = Math.ceil(cells.length / 2);
  const rows =
    columns === 1 ? cells : cells.slice(0, half).map((left, row) => [(left[0] ?? '') + GAP + (cells[row + half]?.[0] ?? '')]);
  // A blank line between rows leaves room to cross a code off, as long as the page stays short.
  const spacious = rows.length <= 12;
  return rows.flatMap((row, index) => [...(spacious && index > 0 ? [''] : []), ...row.map((line) => INDENT + line)]);
}

/** Breaks text into lines of at most `max` characters, at spaces where it can. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let rest = [...text];
  while (width(rest.join('')) > max) {
    // The longest head that fits in `max` columns, cut at its last space when it has one.
    let fit = 0;
    let used = 0;
    while (fit < rest.length && used + charColumns(rest[fit] ?? '') <= max) used += charColumns(rest[fit++] ?? '');
    let cut = rest.lastIndexOf(' ', fit);
    if (cut <= 0) cut = Math.max(fit, 1);
    lines.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
  }
  lines.push(rest.join(''));
  return lines;
}

/** The width of a text in columns (wide characters take two). */
function width(text: string): number {
  return textColumns(text);
}

/** Control, line-separator, format and bidirectional characters would move the print head, hide or reorder the line. */
function clean(text: string): string {
  return terminalText(text);
}
