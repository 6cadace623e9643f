// The pure parts of the OCR channel (issue 10, "Screenshots"): telling images from text, and the vote
// over several readings that keeps an OCR slip from being stored.
import { describe, expect, it } from 'vitest';
import { agree, binaryKind, closeDashes } from '../../src/cli/ocr.js';
import type { Recognition } from '../../src/import/index.js';

const confident = (codes: readonly string[]): Recognition => ({
  confidence: 'confident',
  service: null,
  label: 'a plain list of codes',
  codes: codes.map((code) => ({ code, used: false })),
});
const RIGHT = ['6673 0941', '1409 5538'];
const WRONG = ['6673 6941', '1409 5538'];

describe('agree', () => {
  it('takes a list that every voting reading but one gives, in the first reading\'s form', () => {
    const verdict = agree(confident(RIGHT), [confident(['66730941', '14095538']), confident(RIGHT), confident(WRONG), confident(RIGHT)]);
    expect(verdict.recognition).toEqual(confident(RIGHT));
    expect(verdict.agreeing).toBe(3);
  });

  it('takes the voters\' list over a first reading that misread letters, keeping its service', () => {
    const first: Recognition = { confidence: 'confident', service: 'github', label: 'a GitHub recovery-codes file', codes: [{ code: '3f9al-cO7be', used: false }] };
    const right = confident(['3f9a1-c07be']);
    const verdict = agree(first, [right, right, right, confident(['3f9a1-c7be'])]);
    expect(verdict.recognition).toEqual({ ...right, service: 'github' });
  });

  it('offers a code unticked where the readings disagree on it, never as a sure reading', () => {
    const verdict = agree(confident(RIGHT), [confident(WRONG), confident(WRONG), confident(RIGHT), confident(RIGHT)]);
    expect(verdict.recognition.confidence).toBe('ambiguous');
    if (verdict.recognition.confidence !== 'ambiguous') return;
    expect(verdict.recognition.candidates.map((c) => [c.code, c.doubt])).toEqual([
      ['6673 0941', 'the OCR readings of the image disagree on it'],
      ['1409 5538', null],
    ]);
  });

  it('never counts unsure readings as votes', () => {
    const unsure: Recognition = { confidence: 'ambiguous', service: null, label: 'x', candidates: [{ code: '6673 0941', used: false, line: 1, doubt: null }], explanation: 'x' };
    expect(agree(unsure, [unsure, unsure, unsure, confident(RIGHT)]).recognition.confidence).toBe('ambiguous');
  });
});

describe('binaryKind', () => {
  it('tells images, PDFs and binaries from text by their first bytes', () => {
    expect(binaryKind(Buffer.from('89504e470d0a1a0a', 'hex'))).toBe('image');
    expect(binaryKind(Buffer.from('ffd8ffe0', 'hex'))).toBe('image');
    expect(binaryKind(Buffer.from('GIF89a'))).toBe('image');
    expect(binaryKind(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image');
    expect(binaryKind(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(binaryKind(Buffer.from('1234\u00005678'))).toBe('binary');
    expect(binaryKind(Buffer.from('\uFEFF1234 5678\r\n'))).toBeNull();
  });
});

describe('closeDashes', () => {
  it('joins a dash that OCR set apart inside a code, and leaves other spaces', () => {
    expect(closeDashes('2db46 - f9a17 64c9f -d2e03\n1234 5678')).toBe('2db46-f9a17 64c9f-d2e03\n1234 5678');
  });
});
