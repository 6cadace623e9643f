import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeKey, codeKeysOf, displayCode, normalizeText } from '../../src/domain/index.js';

describe('normalizeText', () => {
  it('leaves plain ASCII text as it is', () => {
    expect(normalizeText('abcd-1234 EFGH\n5678')).toBe('abcd-1234 EFGH\n5678');
  });

  it('turns full-width digits and letters into ASCII (NFKC)', () => {
    expect(normalizeText('\uFF11\uFF12\uFF13\uFF14 \uFF15\uFF16\uFF17\uFF18')).toBe('1234 5678');
    expect(normalizeText('\uFF21\uFF42\uFF43')).toBe('Abc');
    expect(normalizeText('\uFF0D')).toBe('-'); // full-width hyphen-minus
  });

  it.each([
    ['no-break space', '\u00A0'],
    ['narrow no-break space', '\u202F'],
    ['ideographic space', '\u3000'],
    ['ogham space mark', '\u1680'],
    ['en quad', '\u2000'],
    ['em space', '\u2003'],
    ['thin space', '\u2009'],
    ['hair space', '\u200A'],
    ['medium mathematical space', '\u205F'],
    ['tab', '\t'],
    ['vertical tab', '\v'],
    ['form feed', '\f'],
  ])('turns a %s into a plain space', (_name, space) => {
    expect(normalizeText(`1234${space}5678`)).toBe('1234 5678');
  });

  it.each([
    ['hyphen', '\u2010'],
    ['non-breaking hyphen', '\u2011'],
    ['figure dash', '\u2012'],
    ['en dash', '\u2013'],
    ['em dash', '\u2014'],
    ['horizontal bar', '\u2015'],
    ['minus sign', '\u2212'],
    ['small hyphen-minus', '\uFE63'],
  ])('turns a %s into "-"', (_name, dash) => {
    expect(normalizeText(`abcd${dash}1234`)).toBe('abcd-1234');
  });

  it('drops byte-order marks, at the start and inside', () => {
    expect(normalizeText('\uFEFF1234 5678')).toBe('1234 5678');
    expect(normalizeText('1234\uFEFF5678')).toBe('12345678');
  });

  it.each([
    ['zero-width space', '\u200B'],
    ['zero-width non-joiner', '\u200C'],
    ['zero-width joiner', '\u200D'],
    ['word joiner', '\u2060'],
  ])('drops a %s', (_name, invisible) => {
    expect(normalizeText(`12${invisible}34${invisible}`)).toBe('1234');
  });

  it('keeps line breaks, so a whole file can be normalized before it is split', () => {
    expect(normalizeText('1234\n5678\r\nabcd\n')).toBe('1234\n5678\r\nabcd\n');
    expect(normalizeText('\uFEFF\uFF11\uFF12\n\uFF13\uFF14').split('\n')).toEqual(['12', '34']);
  });
});

describe('displayCode', () => {
  it('trims, folds inner runs of spaces to one, and keeps case and dashes', () => {
    expect(displayCode('  AbC-123   456\t ')).toBe('AbC-123 456');
  });

  it('normalizes what a web page or PDF put around the code', () => {
    expect(displayCode('\uFEFF\u00A0\uFF11\uFF12\uFF13\uFF14\u3000\u200B\uFF15\uFF16\uFF17\uFF18\u00A0')).toBe('1234 5678');
    expect(displayCode('abcd\u2013ef12')).toBe('abcd-ef12');
  });

  it('strips surrounding line breaks', () => {
    expect(displayCode('\n1234 5678\r\n')).toBe('1234 5678');
  });
});

describe('codeKey', () => {
  // Each group is one code written many ways; different groups are different codes.
  const classes: readonly (readonly string[])[] = [
    [
      '1234 5678',
      '12345678',
      '1234-5678',
      '12-34-56-78',
      ' 1234  5678\n',
      '1234\t5678',
      '\uFF11\uFF12\uFF13\uFF14\u00A0\uFF15\uFF16\uFF17\uFF18',
      '\uFEFF1234\u20145678',
      '12\u200B34 56\u2212 78',
      '1234\u20105678',
      '1234\u20155678',
      '1234\u202F5678',
    ],
    ['A1B2C-3D4E5', 'a1b2c3d4e5', 'a1b2c 3d4e5', 'A1B2C3D4E5', '\uFF21\uFF11\uFF22\uFF12\uFF23\u2010\uFF13\uFF24\uFF14\uFF25\uFF15'],
    ['12345679'],
    ['1234567'],
    ['123456789'],
    ['a1b2c3d4e6'],
  ];

  it.each(classes.map((group) => [group[0], group] as const))('gives every way of writing %j the same key', (_first, group) => {
    const keys = new Set(group.map(codeKey));
    expect(keys.size).toBe(1);
  });

  it('gives different codes different keys', () => {
    const keys = classes.map((group) => codeKey(group[0] ?? ''));
    expect(new Set(keys).size).toBe(classes.length);
  });

  it('is the display form without spaces or dashes, in lower case', () => {
    expect(codeKey('A1B2C-3D4E5')).toBe('a1b2c3d4e5');
    expect(codeKey('\uFF11\uFF12\u00A0\uFF13')).toBe('123');
  });

  it('is empty for text that holds only spaces, dashes and invisible characters', () => {
    expect(codeKey(' -\u2014\u00A0\u200B\uFEFF\t\n')).toBe('');
  });

  // Codes as services print them, dressed up the way pastes, PDFs and OCR dress them up.
  const dressing = fc.constantFrom(' ', '-', '\u00A0', '\t', '\u2010', '\u2013', '\u2212', '\u200B', '\uFEFF', '\u3000', '\u202F');
  const character = fc.oneof(
    fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    fc.constantFrom(...'\uFF10\uFF11\uFF19\uFF21\uFF3A\uFF41\uFF5A'), // full-width digits and letters
    dressing,
  );
  const codeText = fc.array(character, { maxLength: 24 }).map((chars) => chars.join(''));

  it('is stable: the key of a display form or of a key is the same key', () => {
    fc.assert(
      fc.property(codeText, (text) => {
        const key = codeKey(text);
        expect(codeKey(displayCode(text))).toBe(key);
        expect(codeKey(key)).toBe(key);
        expect(displayCode(displayCode(text))).toBe(displayCode(text));
      }),
    );
  });

  it('holds no space, dash or upper-case letter', () => {
    fc.assert(
      fc.property(codeText, (text) => {
        expect(codeKey(text)).toMatch(/^[0-9a-z]*$/);
      }),
    );
  });

  it('does not change when dressing is put between characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-zA-Z]{1,16}$/), fc.array(dressing, { maxLength: 16 }), (plain, extras) => {
        const dressed = [...plain].map((c, i) => c + (extras[i] ?? '')).join('');
        expect(codeKey(dressed)).toBe(plain.toLowerCase());
      }),
    );
  });

  // The definition, over any text: printable ASCII (nearly every stored code) takes a shorter path to the same key.
  it('is the display form without spaces or dashes, in lower case, for any text', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...' \t\n\r\v\f-_aZ09~', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))) });
    fc.assert(
      fc.property(fc.oneof(ascii, fc.string({ unit: 'binary' }), codeText), (text) => {
        expect(codeKey(text)).toBe(displayCode(text).replace(/[\s-]+/g, '').toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });

  // Regression: invisible characters were once dropped after NFKC, so a letter and the combining mark they
  // separated were composed only on a second pass, and a stored code had another key than its own text.
  it('gives text and its display form the same key when a zero-width character splits a letter from its accent', () => {
    const typed = 'e\u200B\u0301';
    expect(codeKey(displayCode(typed))).toBe(codeKey(typed));
  });
});

describe('codeKeysOf', () => {
  it("gives the keys of a batch's codes in order, computed once for each batch object", () => {
    const batch = { codes: [{ code: '1234 5678' }, { code: 'A1B2C-3D4E5' }, { code: '\uFF11\uFF12' }] };
    const keys = codeKeysOf(batch);
    expect(keys).toEqual(['12345678', 'a1b2c3d4e5', '12']);
    expect(codeKeysOf(batch)).toBe(keys);
    // A changed batch is a new object, with keys of its own.
    const changed = { codes: [...batch.codes.slice(0, 2), { code: '9999 0000' }] };
    expect(codeKeysOf(changed)).toEqual(['12345678', 'a1b2c3d4e5', '99990000']);
  });
});
