/**
 * How many terminal or printer columns a text takes, in the manner of wcwidth: East Asian wide and
 * full-width characters and emoji take two, combining marks and zero-width characters none, the rest one.
 * Good enough to keep a sheet within 80 columns; not a full implementation of Unicode's East Asian Width.
 */

const ZERO = /^[\p{Mn}\p{Me}\u200B-\u200F\u2060\uFEFF]$/u;
const WIDE =
  /^[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]$/u;

/** The columns one character (one code point) takes. */
export function charColumns(char: string): number {
  if (ZERO.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Printable ASCII: one column a character (and no need to compile the Unicode classes above). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The columns a text takes. */
export function textColumns(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let total = 0;
  for (const char of text) total += charColumns(char);
  return total;
}

/** Pads a text with spaces on the right to `width` columns. */
export function padColumns(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textColumns(text)));
}
