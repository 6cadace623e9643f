import { terminalText } from './sanitize.js';
/**
 * What `add` read, shown on the terminal before anything is stored (issue 10, "Show before storing"):
 * numbered, one code a line, with the used marks, so that a wrong reading is caught before it is saved.
 * This goes to the terminal only, never to standard output.
 */

/** One code as it was read. */
export interface ReadCode {
  readonly code: string;
  readonly used: boolean;
}

/** What a crafted file holds reaches the terminal only through the one sanitizer (control and format characters made visible). */
const printable = terminalText;

/** The numbered list of codes read, with a heading; the numbers are right-aligned. */
export function renderReading(heading: string, codes: readonly ReadCode[]): string {
  const width = String(codes.length).length;
  const lines = codes.map((code, index) => `  ${String(index + 1).padStart(width)}. ${printable(code.code)}${code.used ? '   (used)' : ''}`);
  return `${printable(heading)}\n${lines.join('\n')}\n`;
}

/** The name of one checkbox choice: its number, the code, and what speaks for or against it. */
export function candidateChoice(index: number, code: string, line: number, used: boolean, doubt: string | null): string {
  return `${String(index + 1).padStart(2)}. ${printable(code)}   line ${line}${used ? ', marked used' : ''}${doubt ? `: ${printable(doubt)}` : ''}`;
}
