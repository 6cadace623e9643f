import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { qrMatrix, qrSvg, qrTerminal, QrTooLongError, type QrLevel } from '../../src/output/qr.js';
import { decodeQr, requireTools, writePgm } from '../support/chromium.js';

const CODES = ['d9f63-447c6', '37161-76c06', 'f63df-aad03', 'bcbcb-fa6fd'].join('\n');

/**
 * The error correction level written in a symbol's format information (ISO/IEC 18004, 7.9): the two top
 * bits of the 15-bit format string, masked with 101010000010010, sit in column 8 at the bottom rows.
 */
function formatLevel(matrix: readonly (readonly boolean[])[]): QrLevel {
  const size = matrix.length;
  const bit14 = (matrix[size - 1]?.[8] ? 1 : 0) ^ 1;
  const bit13 = (matrix[size - 2]?.[8] ? 1 : 0) ^ 0;
  const levels: readonly QrLevel[] = ['M', 'L', 'H', 'Q'];
  return levels[(bit14 << 1) | bit13] ?? 'M';
}

/** The terminal picture read back as modules: a block character half is light, a blank half dark. */
function terminalModules(text: string): boolean[][] {
  const light: boolean[][] = [];
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const chars = [...line];
    light.push(chars.map((char) => char === '\u2588' || char === '\u2580'));
    light.push(chars.map((char) => char === '\u2588' || char === '\u2584'));
  }
  return light;
}

/** The SVG's path read back as modules. */
function svgModules(svg: string): boolean[][] {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const dark = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  const path = /<path d="([^"]*)"/.exec(svg)?.[1] ?? '';
  for (const run of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    const [x, y, length] = [Number(run[1]), Number(run[2]), Number(run[3])];
    for (let col = x; col < x + length; col++) {
      const row = dark[y];
      if (row) row[col] = true;
    }
  }
  return dark;
}

/** The matrix inside a quiet zone of `quiet` light modules. */
function withQuietZone(matrix: readonly (readonly boolean[])[], quiet: number): boolean[][] {
  const size = matrix.length + 2 * quiet;
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => matrix[row - quiet]?.[col - quiet] ?? false),
  );
}

describe('qrMatrix', () => {
  test('is a square of 17 + 4 × version modules with the three finder patterns', () => {
    const matrix = qrMatrix(CODES, 'M');
    const size = matrix.length;
    expect((size - 17) % 4).toBe(0);
    for (const row of matrix) expect(row).toHaveLength(size);
    const finder = ['#######', '#.....#', '#.###.#', '#.###.#', '#.###.#', '#.....#', '#######'];
    for (const [top, left] of [[0, 0], [0, size - 7], [size - 7, 0]] as const) {
      const drawn = finder.map((_, r) => finder.map((__, c) => (matrix[top + r]?.[left + c] ? '#' : '.')).join(''));
      expect(drawn).toEqual(finder);
    }
  });

  test('writes the level asked for into the format information', () => {
    for (const level of ['L', 'M', 'Q', 'H'] as const) expect(formatLevel(qrMatrix(CODES, level))).toBe(level);
  });

  test('grows with the text and with the level', () => {
    expect(qrMatrix('a', 'M')).toHaveLength(21);
    expect(qrMatrix(CODES, 'H').length).toBeGreaterThan(qrMatrix(CODES, 'L').length);
    expect(qrMatrix(CODES.repeat(4), 'M').length).toBeGreaterThan(qrMatrix(CODES, 'M').length);
  });

  test('holds exactly as many UTF-8 bytes as a version 40 symbol does, and says so beyond', () => {
    const capacity = { L: 2953, M: 2331, Q: 1663, H: 1273 } as const;
    for (const level of ['L', 'M', 'Q', 'H'] as const) {
      expect(qrMatrix('x'.repeat(capacity[level]), level)).toHaveLength(177);
      expect(() => qrMatrix('x'.repeat(capacity[level] + 1), level)).toThrow(QrTooLongError);
    }
    // é is two bytes in UTF-8: 1166 of them are 2332 bytes, one too many at M.
    expect(() => qrMatrix('é'.repeat(1166), 'M')).toThrow('text too long for a QR code: 2332 bytes, at most 2331 fit');
  });
});

describe('qrTerminal', () => {
  test('is the level M matrix in half blocks, light modules drawn, inside a quiet zone of 2', () => {
    const text = qrTerminal(CODES);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toMatch(/^[\u2588\u2580\u2584 \n]+$/);
    const lines = text.replace(/\n$/, '').split('\n');
    const expected = withQuietZone(qrMatrix(CODES, 'M'), 2);
    for (const line of lines) expect([...line]).toHaveLength(expected.length);
    expect(lines).toHaveLength(Math.ceil(expected.length / 2));
    // The last half line is below the picture, where the terminal's dark background shows.
    const light = terminalModules(text).slice(0, expected.length);
    expect(light).toEqual(expected.map((row) => row.map((dark) => !dark)));
  });

  test('says when the text does not fit', () => {
    expect(() => qrTerminal('x'.repeat(3000))).toThrow(/text too long for a QR code: 3000 bytes/);
  });
});

describe('qrSvg', () => {
  test('draws the level M matrix inside a quiet zone of 4, referring to nothing outside itself', () => {
    const svg = qrSvg(CODES);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"[^>]*>.*<\/svg>$/);
    expect(svg).not.toMatch(/href|src=|url\(/i);
    expect(svgModules(svg)).toEqual(withQuietZone(qrMatrix(CODES, 'M'), 4));
  });

  test('says when the text does not fit', () => {
    expect(() => qrSvg('x'.repeat(2332))).toThrow(QrTooLongError);
  });
});

describe.runIf(requireTools(['zbarimg']))('QR codes scanned by zbarimg', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-qr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['backup codes, one per line', CODES],
    ['an otpauth URI', 'otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXP&issuer=GitHub'],
    ['text beyond ASCII', 'Zürich ✓ 東京 — ünïcödé'],
  ])('the matrix of %s decodes to the same text', (_, text) => {
    const image = join(dir, 'matrix.pgm');
    writePgm(image, withQuietZone(qrMatrix(text, 'M'), 4), 6);
    expect(decodeQr(image)).toEqual([text]);
  });

  test('the terminal picture decodes as a light-on-dark terminal shows it', () => {
    // Light blocks on a dark background, with more dark terminal all around.
    const light = terminalModules(qrTerminal(CODES));
    const screen = withQuietZone(
      light.map((row) => row.map((isLight) => !isLight)),
      6,
    ).map((row, r, all) => row.map((dark, c) => (r < 6 || c < 6 || r >= all.length - 6 || c >= row.length - 6 ? true : dark)));
    const image = join(dir, 'terminal.pgm');
    writePgm(image, screen, 6);
    expect(decodeQr(image)).toEqual([CODES]);
  });
});
