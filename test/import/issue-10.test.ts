import { describe, expect, it } from 'vitest';
import { recognize, type Recognition } from '../../src/import/index.js';

/**
 * Regressions of issue 10 ("Import that generalizes"), one per failure its "Why" lists that lies in the
 * recognizer. Every test here failed before the fix; every code is invented.
 */

function codes(result: Recognition): string[] {
  return result.confidence === 'confident' ? result.codes.map((code) => `${code.code}${code.used ? ' (used)' : ''}`) : [];
}

/** What a terminal stores when the user presses Enter at the checkbox. */
function preTicked(result: Recognition): string[] {
  return result.confidence === 'ambiguous' ? result.candidates.filter((candidate) => candidate.doubt === null).map((candidate) => candidate.code) : [];
}

describe('recognize: issue 10', () => {
  it('reads two 8-digit codes side by side on each line of a two-column print as two codes', () => {
    const text = '4821 0937 9920 1457\n1193 4410 2614 8830\n7305 2286 6189 3372\n5562 9013 8043 5526\n3078 6641 1757 4098\n';
    expect(codes(recognize(text, {}))).toEqual([
      '4821 0937', '9920 1457', '1193 4410', '2614 8830', '7305 2286',
      '6189 3372', '5562 9013', '8043 5526', '3078 6641', '1757 4098',
    ]);
  });

  it('asks whether ten groups of digits on one line are five codes or one, the five ticked', () => {
    const result = recognize('4821 0937 1193 4410 7305 2286 5562 9013 3078 6641\n', {});
    expect(result.confidence).toBe('ambiguous');
    expect(preTicked(result)).toEqual(['4821 0937', '1193 4410', '7305 2286', '5562 9013', '3078 6641']);
    if (result.confidence !== 'ambiguous') return;
    expect(result.readings?.map((reading) => reading.codes.length)).toEqual([5, 1]);
    expect(result.readings?.[1]?.codes[0]?.code).toBe('4821 0937 1193 4410 7305 2286 5562 9013 3078 6641');
  });

  it('keeps a long code written in groups of four whole, whatever eight-digit codes the note also holds', () => {
    const key = '9f3a 0c7e 51d2 b84a 6e09 f1c3 27ab d540 8c1e 93f7 0a6d 4b28 e5c0 17f9 3d8a 62b1';
    const result = recognize(`Tuta recovery code\n${key}\n\nbank card backup codes\n4821 0937\n1193 4410\n7305 2286\n`, {});
    const offered = result.confidence === 'ambiguous' ? result.candidates.map((candidate) => candidate.code) : codes(result);
    expect(offered).toContain(key);
    expect(offered.filter((code) => key.includes(code) && code !== key)).toEqual([]);
  });

  it('asks which of two sets of the same shape is current, and ticks neither', () => {
    const old = ['3fa91c07e2b4', 'b2d4891fa0c3', '0c7e5e3b19d8', 'd81f247a6c05'];
    const current = ['a90c35b2e871', '71e4d0f9b3a2', 'c5b208d1e7f4', '2a6f9c4d05e1'];
    const result = recognize(`redmine backup codes (2023)\n${old.join('\n')}\n\nredmine backup codes (new, March 2024)\n${current.join('\n')}\n`, {});
    expect(result.confidence).toBe('ambiguous');
    expect(preTicked(result)).toEqual([]);
    if (result.confidence !== 'ambiguous') return;
    expect(result.readings?.map((reading) => reading.codes.map((code) => code.code))).toEqual([old, current, [...old, ...current]]);
  });

  it('keeps the 8-character base32 token that happens to have no digit', () => {
    const tokens = ['k7qd2mxr', 'p3wz6ntb', 'hv4c7ysa', 'qm2rj5xe', 'xwtbqzka', 'e6nh3uvd', 'r2fk7pcw', 'g5tm4yzq'];
    expect(codes(recognize(`backup tokens\n${tokens.join('\n')}\n`, {}))).toEqual(tokens);
  });

  it('reads a used mark followed by a date as a used mark', () => {
    const text = '7878f768c1846329  USED 2024-11-02\n30cf456923dd101e\n0182c645de20d1a2\n56e1e827e1f88730\n';
    expect(codes(recognize(text, {}))).toEqual(['7878f768c1846329 (used)', '30cf456923dd101e', '0182c645de20d1a2', '56e1e827e1f88730']);
  });

  it('does not refuse codes under a clear heading because of a phone number under them', () => {
    const text = 'Backup codes\n4821 0937\n1193 4410\n7305 2286\nPhone 0171 2345678\n';
    expect(codes(recognize(text, {}))).toEqual(['4821 0937', '1193 4410', '7305 2286']);
  });

  it('reads the OCR text of a screenshot, where bullets and ticks come out as letters', () => {
    const text = '9:41 4G\nBackup codes\no 4821 0937\no 1193 4410 v\no 7305 2286\no 5562 9013\nGet new codes\n';
    expect(codes(recognize(text, {}))).toEqual(['4821 0937', '1193 4410', '7305 2286', '5562 9013']);
  });

  it('reads a markdown task list whose ticked items say when they were used', () => {
    const text = '- [ ] 4821 0937\n- [x] 1193 4410 used on 2024-11-02\n- [ ] 7305 2286\n';
    expect(codes(recognize(text, {}))).toEqual(['4821 0937', '1193 4410 (used)', '7305 2286']);
  });

  it('reads codes kept in one CSV row', () => {
    const row = ['c4e19f0a2b7d3e86', '71a0d5c3e9f24b68', 'e2b8f60d1c4a7395', '0f93c7e5a1d6b284', '9d62a1b0f8e3c457'];
    const text = `service,user,code1,code2,code3,code4,code5\npleroma,jo@social.example,${row.join(',')}\n`;
    expect(codes(recognize(text, {}))).toEqual(row);
  });

  it('reads codes pasted on one line, separated by single spaces, after a label', () => {
    const list = ['k7qd2mxr', 'p3wz6ntb', 'hv4c7ysa', 'qm2rj5xe', 'e6nh3uvd', 'r2fk7pcw'];
    expect(codes(recognize(`retrospring codes: ${list.join(' ')}\n`, {}))).toEqual(list);
  });

  it("reads a dialog's copied text, with a Copy button after each code", () => {
    const text = 'Backup codes\n4821 0937 Copy\n1193 4410 Copy\n7305 2286 Copy\nDownload all\n';
    expect(codes(recognize(text, {}))).toEqual(['4821 0937', '1193 4410', '7305 2286']);
  });

  it('stores an 8-digit code that reads as a date among same-shaped codes, rather than refusing or unticking it', () => {
    const list = ['48210937', '11934410', '73052286', '20190423', '55629013', '30786641'];
    const result = recognize(`Two-Factor Recovery Codes for https://blog.example.com/\r\n\r\n${list.map((code, index) => `${index + 1}. ${code}\r\n`).join('')}`, {});
    expect(codes(result)).toEqual(list);
  });
});

describe('a list where most tokens happen to have no digit (found by the layout property, seed 1066422250)', () => {
  it('offers every token of the list, never only the one with a digit', () => {
    const result = recognize('aaaaaaaa\nqggj3375\nguuwimvj\n', {});
    expect(result.confidence).toBe('ambiguous');
    if (result.confidence !== 'ambiguous') return;
    expect(result.candidates.map((candidate) => candidate.code)).toEqual(['aaaaaaaa', 'qggj3375', 'guuwimvj']);
  });
});
