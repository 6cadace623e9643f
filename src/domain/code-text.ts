/**
 * The one normalization of code text (docs/formats.md, "Normalization").
 *
 * Services display the same code in many ways once it has passed through a web page, a PDF, a note app
 * or an OCR engine: full-width digits, non-breaking spaces, typographic dashes, a byte-order mark.
 * Everything that stores or compares a code goes through these two functions, so that what is stored is
 * always the normalized display form and a comparison never depends on how the code was typed.
 */

const BYTE_ORDER_MARK = /\uFEFF/g;
/** Text made only of printable ASCII and line breaks. */
const PRINTABLE_ASCII = /^[\x20-\x7E\n\r]*$/;
/** Unicode space separators, tabs and other horizontal white space (line breaks are kept). */
const HORIZONTAL_SPACE = /[\t\v\f\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
/** U+2010 to U+2015 (hyphen to horizontal bar) and U+2212 (minus sign). */
const UNICODE_DASH = /[\u2010-\u2015\u2212]/g;
/**
 * Invisible characters that PDF and web copies scatter inside words: zero-width spaces and joiners, the
 * word joiner, the soft hyphen and the direction marks. Removed before NFKC, so that they cannot keep a
 * letter and its combining accent apart.
 */
const INVISIBLE = /[\u00AD\u061C\u200B-\u200F\u2060]/g;

/**
 * Normalizes text as it arrives from a file, a paste or the keyboard: byte-order marks and invisible
 * characters dropped, Unicode NFKC, every horizontal space to a plain space, Unicode dashes to `-`.
 * Line breaks are kept, so this is safe to apply to a whole file before splitting it.
 */
export function normalizeText(text: string): string {
  // Printable ASCII (nearly every code) is already in normal form: NFKC leaves it alone and none of the
  // characters below is in it. The fast path keeps a vault of 100,000 codes quick to check.
  if (PRINTABLE_ASCII.test(text)) return text;
  return text
    .replace(BYTE_ORDER_MARK, '')
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .replace(HORIZONTAL_SPACE, ' ')
    .replace(UNICODE_DASH, '-');
}

/**
 * The display form of one code: normalized text, trimmed, inner runs of spaces folded to one.
 * This is what the vault stores, as close to what the service shows as normalization allows.
 */
export function displayCode(text: string): string {
  return normalizeText(text).trim().replace(/ +/g, ' ');
}

/** Spaces and dashes, which a code's key leaves out. */
const SPACES_AND_DASHES = /[\s-]+/g;

/**
 * The comparison key of a code: its display form without spaces or dashes, in lower case.
 * Two codes are the same code exactly when their keys are equal ("1234 5678" = "12345678",
 * "A1B2C-3D4E5" = "a1b2c3d4e5").
 */
export function codeKey(text: string): string {
  // Printable ASCII is its own normal form, and trimming and folding spaces change nothing once every space is
  // dropped: the same key in one pass, for the codes of nearly every vault.
  if (PRINTABLE_ASCII.test(text)) return text.replace(SPACES_AND_DASHES, '').toLowerCase();
  return displayCode(text).replace(SPACES_AND_DASHES, '').toLowerCase();
}

/** The keys of a batch's codes, by position: computed once per batch (a batch never changes once made). */
const batchKeys = new WeakMap<{ readonly codes: readonly { readonly code: string }[] }, readonly string[]>();

/**
 * The keys of a batch's codes, in the batch's order. Every check, settle and lookup over a whole vault asks for
 * them, so they are remembered for each batch object: content is immutable (model.ts), so a batch object's keys
 * never change, and a changed batch is a new object.
 */
export function codeKeysOf(batch: { readonly codes: readonly { readonly code: string }[] }): readonly string[] {
  let keys = batchKeys.get(batch);
  if (keys === undefined) {
    keys = batch.codes.map((code) => codeKey(code.code));
    batchKeys.set(batch, keys);
  }
  return keys;
}
