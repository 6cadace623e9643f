import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayCode, normalizeText } from '../../src/domain/index.js';
import { recognize, type Recognition } from '../../src/import/index.js';

/** Every string `recognize` hands out, whichever variant it answered with. */
function offered(result: Recognition): string[] {
  if (result.confidence === 'confident') return result.codes.map((code) => code.code);
  if (result.confidence === 'ambiguous') return result.candidates.map((candidate) => candidate.code);
  return [];
}

/** Pieces real pastes are made of, so that random texts often look like code lists, notes and files. */
const piece = fc.oneof(
  fc.constantFrom(
    '\n', '\r\n', '\r', ' ', '  ', '\t', '\u00a0', '\u2013', '\u2212', '\ufeff', '\u200b', '-', '.', ')', '(', '#', '@', '/', '~~', '[x]', '[ ]',
    '✓', '(used)', 'USED', 'not used', '•', '* ', '1. ', '6. ', '01) ', 'Phone: ', 'PIN ', 'ticket ', '$', '€', 'www.', '.com',
    'Google backup codes', 'SAVE YOUR BACKUP CODES', 'github', 'Microsoft recovery code', 'Bitwarden', '2fa_recovery_codes',
    '2FA successfully enabled. Below are your recovery codes', '\u0336', 'é', 'ﬁ', '１２３４', '①', '\u0000', '\u001b', '\u2028',
  ),
  fc.stringMatching(/^[0-9]{4} [0-9]{4}$/),
  fc.stringMatching(/^[0-9a-f]{5}-[0-9a-f]{5}$/),
  fc.stringMatching(/^[0-9a-z]{4,16}$/),
  fc.stringMatching(/^[0-9]{1,12}$/),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const texts = fc.oneof(
  { weight: 5, arbitrary: fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('1', '2', ' ', '-', 'a', '\n', '\t', '@', '.'), minLength: 1000, maxLength: 4000 }) },
);

const fileNames = fc.option(
  fc.oneof(
    fc.constantFrom('github-recovery-codes.txt', 'Backup-codes-jo.txt', 'gitlab-recovery-codes (2).txt', 'discord_backup_codes.txt', 'C:\\x\\notes.txt', ''),
    fc.string({ maxLength: 30 }),
  ),
  { nil: undefined },
);

describe('recognize: properties', () => {
  it('never throws and never hands out a string that is not in the normalized input', () => {
    fc.assert(
      fc.property(texts, fileNames, (text, fileName) => {
        const result = recognize(text, fileName === undefined ? {} : { fileName });
        const normalized = normalizeText(text);
        for (const code of offered(result)) {
          expect(code).toBe(displayCode(code));
          expect(code.length).toBeGreaterThan(0);
          expect(normalized.includes(code)).toBe(true);
        }
        if (result.confidence === 'ambiguous') expect(result.candidates.length).toBeGreaterThan(0);
      }),
      { numRuns: 10_000 },
    );
  });

  it('copes with a single very long line', () => {
    const line = '1234 5678 '.repeat(50_000) + 'x'.repeat(100_000) + '@'.repeat(20_000);
    const start = Date.now();
    const result = recognize(line, {});
    expect(Date.now() - start).toBeLessThan(5_000);
    for (const code of offered(result)) expect(normalizeText(line).includes(code)).toBe(true);
  });
});
