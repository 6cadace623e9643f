// The block reader behind `lifeboat add`'s typed prompt (issue 10, "Paste"): a paste is taken whole.
import { describe, expect, it } from 'vitest';
import { BlockReader, maskLine } from '../../src/cli/paste.js';

const START = '\u001b[200~';
const END = '\u001b[201~';

describe('BlockReader', () => {
  it('takes a bracketed paste of several lines whole, then ends on an empty line', () => {
    const reader = new BlockReader();
    expect(reader.feed(`${START}1234 5678\r2345 6789\r\r3456 7890\r${END}`)).toBe('more');
    expect(reader.feed('\r')).toBe('done');
    expect(reader.text()).toBe('1234 5678\n2345 6789\n\n3456 7890');
  });

  it('keeps a paste that lacks its last line break, finished by Enter twice', () => {
    const reader = new BlockReader();
    expect(reader.feed(`${START}1111 2222\n3333 4444${END}`)).toBe('more');
    expect(reader.feed('\r')).toBe('more');
    expect(reader.feed('\r')).toBe('done');
    expect(reader.text()).toBe('1111 2222\n3333 4444');
  });

  it('reads a paste split over several reads, even inside its markers', () => {
    const reader = new BlockReader();
    expect(reader.feed('\u001b[20')).toBe('more');
    expect(reader.feed('0~1111 2222\r33')).toBe('more');
    expect(reader.feed('33 4444\r\u001b[2')).toBe('more');
    expect(reader.feed('01~\r')).toBe('done');
    expect(reader.text()).toBe('1111 2222\n3333 4444');
  });

  it('takes an unbracketed paste with an empty line inside it, because more text follows in the same read', () => {
    const reader = new BlockReader();
    expect(reader.feed('1111 2222\r\r3333 4444\r')).toBe('more');
    expect(reader.feed('\r')).toBe('done');
    expect(reader.text()).toBe('1111 2222\n\n3333 4444');
  });

  it('reads lines typed one by one, with backspace, and ends on the first empty line', () => {
    const reader = new BlockReader();
    for (const key of ['1', '2', '9', '\u007f', '3', '\r', '4', '5', '\r']) expect(reader.feed(key)).toBe('more');
    expect(reader.feed('\r')).toBe('done');
    expect(reader.text()).toBe('123\n45');
  });

  it('ignores an empty line before anything was typed, and arrow keys', () => {
    const reader = new BlockReader();
    expect(reader.feed('\r')).toBe('more');
    expect(reader.feed('\u001b[A12\u001b[D34\r')).toBe('more');
    expect(reader.feed('\r')).toBe('done');
    expect(reader.text()).toBe('1234');
  });

  it('ends on Ctrl+D, keeping the unfinished line, and cancels on Ctrl+C', () => {
    const done = new BlockReader();
    expect(done.feed('1111\r2222\u0004')).toBe('done');
    expect(done.text()).toBe('1111\n2222');
    const cancelled = new BlockReader();
    expect(cancelled.feed(`${START}1111\r2222\u0003`)).toBe('cancelled');
  });

  it('masks what it echoes, keeping only the spaces', () => {
    expect(maskLine('1234 5678')).toBe('•••• ••••');
  });
});
