/**
 * A rough, honest estimate of how guessable a new passphrase is, to warn before a weak one locks the
 * vault. Not zxcvbn (whose dictionaries would add megabytes): it counts length, the kinds of characters,
 * repeats and runs (aaaa, 1234, abcd), a short list of the most common passwords and keyboard rows, and
 * treats a passphrase of several words as about 11 bits a word (a word picked from a few thousand).
 */

/** Below this many estimated bits a new passphrase gets a warning. */
export const WEAK_BITS = 40;

/** The shortest passphrase that is not called weak whatever its characters. */
export const MIN_LENGTH = 10;

const COMMON = [
  'password', 'passwort', 'motdepasse', 'qwerty', 'qwertz', 'azerty', 'asdf', 'zxcv', 'letmein', 'iloveyou', 'admin',
  'welcome', 'dragon', 'monkey', 'football', 'baseball', 'sunshine', 'princess', 'master', 'shadow', 'secret', 'lifeboat',
  'abc123', '123456', '654321', '111111', '000000', 'trustno1', 'login', 'hello',
];

function poolSize(text: string): number {
  let pool = 0;
  if (/[a-z]/.test(text)) pool += 26;
  if (/[A-Z]/.test(text)) pool += 26;
  if (/[0-9]/.test(text)) pool += 10;
  if (/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(text)) pool += 33;
  if (/[^\x00-\x7f]/.test(text)) pool += 100;
  return Math.max(pool, 10);
}

/** Estimated bits of a passphrase typed as characters: runs and repeats count one bit, common words a few. */
function characterBits(passphrase: string): number {
  let rest = passphrase.toLowerCase();
  let bits = 0;
  for (const word of COMMON) {
    while (rest.includes(word)) {
      rest = rest.replace(word, '\u0000');
      bits += 6;
    }
  }
  const perChar = Math.log2(poolSize(passphrase));
  let previous = -10;
  for (const char of rest) {
    const point = char.codePointAt(0) ?? 0;
    if (point === 0) continue;
    bits += Math.abs(point - previous) <= 1 ? 1 : perChar;
    previous = point;
  }
  return bits;
}

/** Estimated bits of a passphrase made of words: about 11 a word, less for very short or common ones. */
function wordBits(passphrase: string): number {
  const words = passphrase.split(/[\s\-_.,]+/).filter((word) => word !== '');
  if (words.length < 3 || !words.every((word) => /^\p{L}+$/u.test(word))) return 0;
  const unique = new Set(words.map((word) => word.toLowerCase()));
  return [...unique].reduce((sum, word) => sum + (COMMON.includes(word) ? 4 : Math.min(11, word.length * 2.5)), 0);
}

/** Roughly how many bits of guessing a passphrase takes. */
export function estimateBits(passphrase: string): number {
  return Math.round(Math.max(characterBits(passphrase), wordBits(passphrase)));
}

/** Why a new passphrase is weak, in a few words, or null when it is not. */
export function passphraseWeakness(passphrase: string): string | null {
  const length = [...passphrase].length;
  if (length < MIN_LENGTH) return `it is only ${length} character${length === 1 ? '' : 's'} long (at least ${MIN_LENGTH} recommended)`;
  const bits = estimateBits(passphrase);
  if (bits < WEAK_BITS) return `it looks easy to guess (about ${bits} bits; ${WEAK_BITS} or more recommended, e.g. four random words)`;
  return null;
}
