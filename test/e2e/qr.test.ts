// End-to-end: `lifeboat use --qr` and `lifeboat show --qr`, the QR code drawn in the terminal and read back by zbarimg
// (issue 3: "Codes on demand", section "QR in the terminal").
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePgm } from '../support/chromium.js';
import { bytesOf, instagramCodes, sandbox, type Run, type Sandbox } from '../support/cli.js';
import { requireTools } from '../support/tools.js';

const codes = instagramCodes(5, 3);
let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'instagram'], { input: codes.join('\n') }).status).toBe(0);
});
afterEach(() => box.cleanup());

const states = (): string[] => (JSON.parse(box.run(['show', 'instagram', '--json']).stdout) as { codes: { state: string }[] }).codes.map((c) => c.state);

/**
 * Each character of the terminal QR is one module wide and two tall, drawn light on a dark terminal:
 * [top light, bottom light]. Anything else on stdout is a failure.
 */
const HALVES: Readonly<Record<string, readonly [boolean, boolean]>> = {
  '█': [true, true],
  '▀': [true, false],
  '▄': [false, true],
  ' ': [false, false],
};

/**
 * Turns the drawn QR back into a picture (dark modules black, light ones white, eight pixels a module, a white
 * border of four modules around it) and returns what `zbarimg -q --raw` reads from it.
 */
function decodeTerminalQr(stdout: string, dir: string): string {
  const lines = stdout.replace(/\n$/, '').split('\n');
  const rows: boolean[][] = [];
  for (const line of lines) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const char of line) {
      const halves = HALVES[char];
      if (halves === undefined) throw new Error(`not a QR half block: ${JSON.stringify(char)} in ${JSON.stringify(line)}`);
      top.push(!halves[0]);
      bottom.push(!halves[1]);
    }
    rows.push(top, bottom);
  }
  const width = Math.max(...rows.map((row) => row.length));
  const border = 4;
  const blank = (): boolean[] => Array<boolean>(width + 2 * border).fill(false);
  const cells = [
    ...Array.from({ length: border }, blank),
    ...rows.map((row) => [...Array<boolean>(border).fill(false), ...row, ...Array<boolean>(width - row.length + border).fill(false)]),
    ...Array.from({ length: border }, blank),
  ];
  const image = path.join(dir, 'qr.pgm');
  writePgm(image, cells, 8);
  // zbarimg ends the data it prints with one newline of its own.
  return execFileSync('zbarimg', ['-q', '--raw', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\n$/, '');
}

function expectRefusedForNoTerminal(run: Run): void {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('lifeboat: error: a QR code is drawn for a terminal, and standard output is not one');
  expect(run.stderr).toMatch(/^lifeboat: hint: .*--force/m);
}

describe('lifeboat use --qr / show --qr without a terminal', () => {
  it('use --qr refuses (exit 2, hint names --force) and marks nothing spent', () => {
    const before = bytesOf(box.vault);
    expectRefusedForNoTerminal(box.run(['use', 'instagram', '--qr']));
    expect(bytesOf(box.vault)).toEqual(before);
    expect(states()).toEqual(Array(5).fill('unspent'));
  });

  it('show --qr refuses (exit 2, hint names --force)', () => {
    const before = bytesOf(box.vault);
    expectRefusedForNoTerminal(box.run(['show', 'instagram', '--qr']));
    expect(bytesOf(box.vault)).toEqual(before);
  });
});

describe.runIf(requireTools(['zbarimg']))('lifeboat use --qr / show --qr --force: the drawing decodes', () => {
  it('use --qr --force draws the next code, and marks it spent', () => {
    const run = box.run(['use', 'instagram', '--qr', '--force']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(codes[0]);
    expect(decodeTerminalQr(run.stdout, box.dir)).toBe(codes[0]);
    expect(states()).toEqual(['spent', 'unspent', 'unspent', 'unspent', 'unspent']);
  });

  it('show --qr --force draws the unspent codes, one per line', () => {
    expect(box.run(['use', 'instagram']).status).toBe(0);
    const run = box.run(['show', 'instagram', '--qr', '--force']);
    expect(run.status, run.stderr).toBe(0);
    expect(decodeTerminalQr(run.stdout, box.dir)).toBe(codes.slice(1).join('\n'));
    expect(states()).toEqual(['spent', 'unspent', 'unspent', 'unspent', 'unspent']);
  });
});

describe('a batch shown in full as a QR code is remembered', () => {
  it('superseding it says when its codes were copied out, not that a sheet was printed', () => {
    expect(box.run(['show', 'instagram', '--qr', '--force']).status).toBe(0);
    const run = box.run(['add', 'instagram', '--yes'], { input: instagramCodes(5, 11).join('\n') });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/lifeboat: warning: you copied the old codes on \d{4}-\d\d-\d\d: delete them wherever you pasted them/);
    expect(run.stderr).not.toContain('you printed');
  });
});
