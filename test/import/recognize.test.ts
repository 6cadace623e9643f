import { describe, expect, it } from 'vitest';
import { recognize } from '../../src/import/index.js';

/** Cases small enough to read inline; the layouts themselves are vectors in test/fixtures/import. */
describe('recognize', () => {
  it('says none for empty text', () => {
    expect(recognize('', {}).confidence).toBe('none');
    expect(recognize('\r\n\t ', { fileName: 'github-recovery-codes.txt' }).confidence).toBe('none');
  });

  it('keeps "not used" and "unused" codes unused', () => {
    const result = recognize('abcd1-2345e not used\nf6789-0abcd (unused)\n12ab3-cd45e (used)\n', {});
    expect(result).toMatchObject({
      confidence: 'confident',
      codes: [
        { code: 'abcd1-2345e', used: false },
        { code: 'f6789-0abcd', used: false },
        { code: '12ab3-cd45e', used: true },
      ],
    });
  });

  it('gives each candidate its line, counting CRLF line breaks once', () => {
    const result = recognize('Call 0171 2345\r\n\r\n4821 0937\r\n', {});
    expect(result.confidence).toBe('ambiguous');
    if (result.confidence !== 'ambiguous') return;
    expect(result.candidates.map((candidate) => [candidate.code, candidate.line, candidate.doubt !== null])).toEqual([
      ['0171 2345', 1, true],
      ['4821 0937', 3, false],
    ]);
  });

  it('follows the numbers of a two-column list, not the reading order', () => {
    const result = recognize('1. 1111 2222   3. 5555 6666\n2. 3333 4444   4. 7777 8888\n', {});
    expect(result.confidence === 'confident' && result.codes.map((code) => code.code)).toEqual([
      '1111 2222',
      '3333 4444',
      '5555 6666',
      '7777 8888',
    ]);
  });

  it('does not trust a file name whose layout the text does not fit', () => {
    const result = recognize('4821 0937\n1193 4410\n', { fileName: '/home/jo/github-recovery-codes.txt' });
    expect(result).toMatchObject({ confidence: 'confident', service: null, label: 'a plain list of codes' });
  });

  it('refuses one code where the layout issues one, when two are given', () => {
    const result = recognize('Microsoft recovery code\nQ7RTM-4KX2V-9HB3W-CP6YD-J8FN5\nZ7RTM-4KX2V-9HB3W-CP6YD-J8FN5\n', {});
    expect(result).toMatchObject({ confidence: 'ambiguous', service: 'microsoft' });
  });

  it('does not glue label words onto codes', () => {
    const result = recognize('code 4821 0937\ncode 1193 4410 USED\n', {});
    expect(result).toMatchObject({
      confidence: 'confident',
      codes: [
        { code: '4821 0937', used: false },
        { code: '1193 4410', used: true },
      ],
    });
  });

  it('never treats an e-mail address or a link as a code', () => {
    const result = recognize('jdoe.4471925@example.com\nhttps://example.com/a1b2c3d4e5\n', {});
    expect(result.confidence).toBe('ambiguous');
    if (result.confidence === 'ambiguous') expect(result.candidates.every((candidate) => candidate.doubt !== null)).toBe(true);
  });
});
