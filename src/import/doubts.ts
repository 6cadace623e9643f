import type { Token } from './scan.js';

/**
 * Reasons a code-shaped token might be something else. Notes keep backup codes next to phone numbers,
 * dates, PINs, ticket numbers and e-mail addresses, and many of those have exactly the shape of a code,
 * so anything that hints at them makes the recognizer ask instead of guess.
 */

/**
 * The first reason found to doubt a token, or null. `shapeKnown` says a known layout vouches for the
 * token's shape, so only what surrounds it counts; otherwise its shape is questioned too (a date, a
 * phone number written in groups, a number too short or too long for a backup code).
 */
export function doubtOf(token: Token, shapeKnown: boolean): string | null {
  const context = addressDoubt(token) ?? neighbourDoubt(token);
  if (shapeKnown) return context ?? keywordDoubt(token);
  return context ?? dateShapeDoubt(token) ?? keywordDoubt(token) ?? shapeDoubtOf(token);
}

/**
 * What the token's surroundings say against it: an address it lies in, a currency sign, `+` or `#`
 * next to it, or words on its line (`phone`, `PIN`, `ticket`). Structure does not outweigh these.
 */
export function contextDoubtOf(token: Token): string | null {
  return addressDoubt(token) ?? neighbourDoubt(token) ?? keywordDoubt(token);
}

/**
 * What the token's shape alone says against it (a date, a phone number in unequal groups, years, a
 * reference number, a number too short or too long). A list of codes of the same shape outweighs these:
 * among eight-digit codes, an eight-digit code that reads as a date is still a code.
 */
export function shapeDoubtOf(token: Token): string | null {
  return dateShapeDoubt(token) ?? referenceShapeDoubt(token) ?? phoneShapeDoubt(token) ?? yearsDoubt(token) ?? numberLengthDoubt(token);
}

const isDigits = (text: string): boolean => /^[0-9]+$/.test(text);
const isDigitToken = (token: Token): boolean => token.parts.every(isDigits);

/** Characters that make up the local part or domain of an e-mail address. */
const EMAIL_CHAR = /[0-9A-Za-z._%+-]/;

/** Where a line's e-mail and web addresses are, worked out once per line. */
interface Address {
  readonly start: number;
  readonly end: number;
  readonly doubt: string;
}

const addressesByLine = new WeakMap<Token['line'], readonly Address[]>();

function addressesOf(lineRef: Token['line']): readonly Address[] {
  const known = addressesByLine.get(lineRef);
  if (known) return known;
  const line = lineRef.text;
  const addresses: Address[] = [];
  // Scanning out from each `@` keeps this linear on long lines, where a regex would backtrack.
  for (let at = line.indexOf('@'), from = 0; at >= 0; at = line.indexOf('@', at + 1)) {
    let left = at;
    while (left > from && EMAIL_CHAR.test(line[left - 1] ?? '')) left -= 1;
    let right = at + 1;
    while (right < line.length && EMAIL_CHAR.test(line[right] ?? '')) right += 1;
    addresses.push({ start: left, end: right, doubt: 'part of an e-mail address' });
    from = at + 1;
  }
  const url = /\b(?:https?:\/\/|www\.)\S*/gi;
  for (let match = url.exec(line); match !== null; match = url.exec(line)) {
    addresses.push({ start: match.index, end: match.index + match[0].length, doubt: 'part of a web address' });
  }
  addressesByLine.set(lineRef, addresses);
  return addresses;
}

/** Whether the token lies inside an e-mail address or a web address on its line. */
function addressDoubt(token: Token): string | null {
  return addressesOf(token.line).find((address) => token.start < address.end && token.end > address.start)?.doubt ?? null;
}

/** Whether the characters right next to the token make it part of something bigger. */
function neighbourDoubt(token: Token): string | null {
  const line = token.line.text;
  const before = line.slice(Math.max(0, token.start - 3), token.start);
  const after = line.slice(token.end, token.end + 2);
  if (/[$€£¥₹]\s?$/.test(before) || /^\s?[$€£¥₹]/.test(after)) return 'could be an amount';
  if (/^[.,][0-9]/.test(after) || /[0-9][.,]$/.test(before)) {
    // A comma between two long words separates cells or list items (a CSV row of codes); a decimal
    // point or a thousands separator has at most three digits on its short side.
    const next = /^[.,]([0-9A-Za-z]+(?: [0-9A-Za-z]+)*)/.exec(line.slice(token.end))?.[1] ?? '';
    const previous = /([0-9A-Za-z]+(?: [0-9A-Za-z]+)*)[.,]$/.exec(line.slice(0, token.start))?.[1] ?? '';
    const separates = (word: string): boolean => word === '' || word.length >= 6;
    if (!(separates(next) && separates(previous))) return 'could be an amount or part of a longer number';
  }
  if (/^\.[A-Za-z]/.test(after) || /^\//.test(after) || /\/$/.test(before)) return 'part of a file name or web address';
  if (/\+\s?$/.test(before) || /\+[0-9]{1,3}\s$/.test(line.slice(Math.max(0, token.start - 5), token.start))) {
    return 'could be a phone number';
  }
  if (/\)\s?$/.test(before) && /\([0-9]{2,5}\)\s?$/.test(line.slice(0, token.start))) return 'could be a phone number';
  if (/#\s?$/.test(before)) return 'could be a ticket, order or reference number';
  return null;
}

/** A line that says `backup` or `recovery` is about codes, whatever other words it holds. */
const CODE_CONTEXT = /\b(?:backup|recovery|2fa|two-factor)\b/i;
const KEYWORDS: readonly (readonly [RegExp, string, boolean])[] = [
  // [words on the line, the doubt, whether it applies only to all-digit tokens]
  [/\b(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|handy|ring)\b/i, 'could be a phone number', true],
  [/\b(?:pin|puk|passcode|password|passwort|pwd|cvv|cvc|combination)\b/i, 'could be a PIN or password', false],
  [/[$€£¥₹]|\b(?:usd|eur|gbp|chf|jpy|amount|total|price|paid|pay|balance|iban|bic|invoice)\b/i, 'could be an amount or account number', true],
  [
    /\b(?:ticket|order|ref|reference|case|issue|booking|confirmation|tracking|customer|account|member|membership|serial|licen[cs]e|id|parcel|flight|reservation)\b/i,
    'could be a ticket, order or reference number',
    false,
  ],
  [/\b(?:date|born|birthday|due|expires?|valid|since|until|appointment|meeting)\b/i, 'could be a date', true],
];

/** Whether words on the token's line say it is something other than a code. */
function keywordDoubt(token: Token): string | null {
  const line = token.line.text;
  if (CODE_CONTEXT.test(line)) return null;
  for (const [words, doubt, digitsOnly] of KEYWORDS) {
    if (words.test(line) && (!digitsOnly || isDigitToken(token))) return doubt;
  }
  return null;
}

/** Letters then digits (`INC-204193`, `AB123456`) is how tickets and orders are numbered. */
function referenceShapeDoubt(token: Token): string | null {
  const prefixed = token.parts.length > 1 && /^[A-Za-z]{2,5}$/.test(token.parts[0] ?? '') && token.parts.slice(1).every(isDigits);
  return prefixed || /^[A-Za-z]{1,4}[0-9]{4,}$/.test(token.text) ? 'could be a ticket, order or reference number' : null;
}

function isDate(year: number, month: number, day: number): boolean {
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Whether an all-digit token has the shape of a date: `2024-01-15`, `15-01-2024`, `20240115`. */
function dateShapeDoubt(token: Token): string | null {
  if (!isDigitToken(token)) return null;
  const numbers = token.parts.map(Number);
  const [a = 0, b = 0, c = 0] = numbers;
  const lengths = token.parts.map((part) => part.length).join(',');
  if (token.separator === '-' && lengths === '4,2,2' && isDate(a, b, c)) return 'looks like a date';
  if (token.separator === '-' && (lengths === '2,2,4' || lengths === '2,2,2')) {
    const year = c < 100 ? 2000 + c : c;
    if (isDate(year, b, a) || isDate(year, a, b)) return 'looks like a date';
  }
  const whole = token.parts.join('');
  if (whole.length === 8) {
    const n = (from: number, to: number): number => Number(whole.slice(from, to));
    if (isDate(n(0, 4), n(4, 6), n(6, 8)) || isDate(n(4, 8), n(2, 4), n(0, 2)) || isDate(n(4, 8), n(0, 2), n(2, 4))) {
      return token.separator === ' ' ? null : 'could be a date';
    }
  }
  return null;
}

/** Digit groups of unequal lengths (`555-123-4567`, `030 1234567`) are how phone numbers are written, not codes. */
function phoneShapeDoubt(token: Token): string | null {
  const lengths = new Set(token.parts.map((part) => part.length));
  return isDigitToken(token) && token.parts.length > 1 && lengths.size > 1 ? 'could be a phone number' : null;
}

/** Whether every group is a year (`2023 2024`). */
function yearsDoubt(token: Token): string | null {
  const years = token.parts.length > 1 && token.parts.every((part) => /^(?:19|20)[0-9]{2}$/.test(part));
  return years ? 'could be years' : null;
}

/** All-digit tokens too short or too long for the usual backup codes. */
function numberLengthDoubt(token: Token): string | null {
  if (!isDigitToken(token)) return null;
  const length = token.parts.join('').length;
  if (length < 8) return 'a short number: could be a PIN or a one-time code';
  if (length >= 10 && length <= 15 && token.separator !== ' ') return 'a long number: could be a phone, account or order number';
  return null;
}
