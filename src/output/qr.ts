import QRCode from 'qrcode-terminal/vendor/QRCode/index.js';
import QRErrorCorrectLevel from 'qrcode-terminal/vendor/QRCode/QRErrorCorrectLevel.js';

/**
 * QR codes, for the terminal and for the paper sheet. This is the only module that imports
 * qrcode-terminal, and it uses only the encoder the package vendors: the package's own printer
 * cannot be set to error level M (`setErrorLevel('M')` is a no-op because M is 0) and mangles
 * non-ASCII text, so both pictures are drawn here from the encoder's matrix.
 */

/** A QR error correction level: L recovers about 7% damage, M 15%, Q 25%, H 30%. */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

/** The most bytes a QR code (version 40, byte mode) holds at each level. */
const CAPACITY: Readonly<Record<QrLevel, number>> = { L: 2953, M: 2331, Q: 1663, H: 1273 };

/** The level of every QR code lifeboat draws: survives a coffee stain, still small. */
const LEVEL: QrLevel = 'M';

/** Thrown when a text is too long for any QR code at the level asked for. */
export class QrTooLongError extends Error {
  /** The length of the text in UTF-8 bytes. */
  readonly bytes: number;
  /** The most bytes a QR code holds at the level asked for. */
  readonly capacity: number;

  constructor(bytes: number, capacity: number) {
    super(`text too long for a QR code: ${bytes} bytes, at most ${capacity} fit`);
    this.name = 'QrTooLongError';
    this.bytes = bytes;
    this.capacity = capacity;
  }
}

/**
 * The modules of the smallest QR code that holds `text` (as UTF-8, byte mode) at `level`:
 * rows of columns, true where a module is dark, without a quiet zone.
 * Throws `QrTooLongError` when the text does not fit in a QR code.
 */
export function qrMatrix(text: string, level: QrLevel): boolean[][] {
  const bytes = new TextEncoder().encode(text);
  const capacity = CAPACITY[level];
  if (bytes.length > capacity) throw new QrTooLongError(bytes.length, capacity);
  const qr = new QRCode(-1, QRErrorCorrectLevel[level]);
  // The encoder writes each UTF-16 unit of its input as one byte, so it must get the UTF-8 bytes
  // one per unit (a latin1 string); given the text itself it silently corrupts anything non-ASCII.
  qr.addData(latin1(bytes));
  try {
    qr.make();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('code length overflow')) {
      throw new QrTooLongError(bytes.length, capacity);
    }
    throw error;
  }
  const size = qr.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => qr.isDark(row, col)));
}

/** The bytes as a string of one UTF-16 unit per byte. */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** Modules of quiet zone drawn around the terminal QR; the standard asks for 4, phone cameras cope with 2. */
const TERMINAL_QUIET = 2;

/**
 * A QR code of `text` (level M) for the terminal, two modules per character with half blocks, ending
 * in a newline. Like qrcode-terminal's small mode it assumes light text on a dark background: a light
 * module, the quiet zone included, is a block character and a dark one is a space.
 * Throws `QrTooLongError` when the text does not fit in a QR code.
 */
export function qrTerminal(text: string): string {
  const matrix = qrMatrix(text, LEVEL);
  const size = matrix.length + 2 * TERMINAL_QUIET;
  const light = (row: number, col: number): boolean => {
    const r = row - TERMINAL_QUIET;
    const c = col - TERMINAL_QUIET;
    return !(matrix[r]?.[c] ?? false);
  };
  const lines: string[] = [];
  for (let row = 0; row < size; row += 2) {
    let line = '';
    for (let col = 0; col < size; col++) {
      const top = light(row, col);
      // An odd last row has nothing below it; the terminal's dark background shows there.
      const bottom = row + 1 < size && light(row + 1, col);
      line += top ? (bottom ? '\u2588' : '\u2580') : bottom ? '\u2584' : ' ';
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/** Modules of quiet zone around the printed QR, as the standard asks. */
const SVG_QUIET = 4;

/**
 * A QR code of `text` (level M) as a standalone SVG element with a white quiet zone and no size of its
 * own (it fills the width its container gives it). It refers to nothing outside itself, so it can be
 * inlined in a page whose Content-Security-Policy forbids every fetch.
 * Throws `QrTooLongError` when the text does not fit in a QR code.
 */
export function qrSvg(text: string): string {
  const matrix = qrMatrix(text, LEVEL);
  const size = matrix.length + 2 * SVG_QUIET;
  let path = '';
  matrix.forEach((modules, row) => {
    // One rectangle per horizontal run of dark modules keeps the path short.
    let col = 0;
    while (col < modules.length) {
      if (!modules[col]) {
        col++;
        continue;
      }
      const start = col;
      while (modules[col]) col++;
      path += `M${start + SVG_QUIET} ${row + SVG_QUIET}h${col - start}v1h-${col - start}z`;
    }
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"` +
    ` role="img" aria-label="QR code">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
  );
}
