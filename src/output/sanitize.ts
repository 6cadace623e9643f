/**
 * The one sanitizer for text from data (a vault, an export, a lock file, a file name) on its way to a
 * terminal, a printer or a page. Data never reaches them raw: a character that could drive the terminal
 * or hide or reorder what it shows is written out as `<U+XXXX>` instead, so the user sees that it is there.
 *
 * What counts (Unicode General Categories, UAX #44):
 * - Cc: the C0 controls (ESC starts every escape sequence; BEL ends OSC 52 and title sequences), DEL,
 *   and the C1 controls (U+009B is a one-character CSI to terminals that honour 8-bit controls).
 * - Cf: format characters, invisible by design: the bidirectional overrides and isolates (U+202A to
 *   U+202E, U+2066 to U+2069) that reorder a line, the zero-width characters (U+200B to U+200F), U+FEFF,
 *   the soft hyphen and the like.
 * - Zl and Zp: U+2028 and U+2029, which some terminals and every browser treat as line breaks.
 * - Cs: a lone surrogate (JSON can spell one), which no terminal can show.
 */

/** The characters that never reach a terminal raw. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

function visible(char: string): string {
  return `<U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** A text from data, safe to write to a terminal: every control and format character made visible as `<U+XXXX>`. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * JSON text safe to write to a terminal, meaning the same data: the characters `terminalText` rewrites
 * become `\uXXXX` escapes, which every JSON reader turns back into the same string (RFC 8259, section 7).
 */
export function terminalJson(json: string): string {
  return json.replace(UNSAFE, (char) => {
    // Outside strings, JSON's own whitespace (JSON.stringify escapes these inside strings).
    if (char === '\n' || char === '\r' || char === '\t') return char;
    const units: string[] = [];
    for (let i = 0; i < char.length; i++) units.push(`\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`);
    return units.join('');
  });
}
