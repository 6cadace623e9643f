/**
 * Types for the QR encoder that qrcode-terminal 0.12 vendors (Kazuhiko Arase's QRCode for JavaScript).
 * The package's own types (@types/qrcode-terminal) cover only its terminal printer, whose error level
 * cannot be set to M (`setErrorLevel('M')` is a no-op), so src/output/qr.ts drives the encoder directly.
 */

declare module 'qrcode-terminal/vendor/QRCode/index.js' {
  /** One QR symbol being built: add data, make, then read the modules. */
  export default class QRCode {
    /**
     * @param typeNumber The QR version 1 to 40, or -1 to pick the smallest that holds the data.
     * @param errorCorrectLevel A value of `QRErrorCorrectLevel` (note M is 0).
     */
    constructor(typeNumber: number, errorCorrectLevel: number);
    /** Adds data in byte mode; each UTF-16 unit is written as one byte, so pass a latin1 string. */
    addData(data: string): void;
    /** Lays out the symbol; throws `code length overflow. (…)` when the data does not fit. */
    make(): void;
    /** The side of the symbol in modules (17 + 4 × version). */
    getModuleCount(): number;
    /** Whether the module at this row and column is dark. */
    isDark(row: number, col: number): boolean;
  }
}

declare module 'qrcode-terminal/vendor/QRCode/QRErrorCorrectLevel.js' {
  /** The error correction levels as the encoder numbers them (the two-bit codes of the QR format info). */
  const QRErrorCorrectLevel: { readonly L: number; readonly M: number; readonly Q: number; readonly H: number };
  export default QRErrorCorrectLevel;
}
