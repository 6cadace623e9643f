// `lifeboat add --image`: screenshots of code screens rendered in headless Chromium are read by the
// system's tesseract, exactly; photo-like copies are read exactly or refused, never wrongly; files that
// are not text get the right flag named (issue 10, "Screenshots").
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, sandbox, talk, type Sandbox } from '../support/cli.js';
import { requireTools } from '../support/tools.js';
import { githubScreen, googleScreen, instagramScreen, photoOf, screenshot, type Screen } from '../support/screens.js';

const ready = requireTools(['tesseract', 'convert', 'chromium']);
const SLOW = 240_000;

const INSTAGRAM = ['4815 1623', '4208 1337', '9001 2718', '3141 5926', '5358 9793'];
const GOOGLE = ['7461 3092', '5820 1174', '3398 6625', '9017 4483', '2256 8310', '6673 0941', '1409 5538', '8834 2267', '4592 7706', '0785 9152'];
const GITHUB = [
  '3f9a1-c07be', '2db46-f9a17', '81d2e-4fa60', 'e0a35-6b8c9', 'b7c05-92e1d', '64c9f-d2e03', '0e6f3-a8b14', 'a15e7-3b0f6',
  'd41c8-7f0e2', 'f7b20-8e5d1', '5a2b9-e63c0', '1c8d4-a6f97', 'c8e70-1d4a5', '8e3a6-c1b05', '97f1b-0c2d8', '4b7f0-5d9e2',
];

let box: Sandbox;
const screens: Record<'instagram' | 'google' | 'github', Screen | undefined> = { instagram: undefined, google: undefined, github: undefined };

beforeAll(async () => {
  if (!ready) return;
  screens.instagram = await screenshot(instagramScreen(INSTAGRAM), INSTAGRAM, 420, 420);
  screens.google = await screenshot(googleScreen(GOOGLE), GOOGLE, 560, 420);
  screens.github = await screenshot(githubScreen(GITHUB), GITHUB, 560, 480);
}, SLOW);
afterAll(async () => {
  for (const screen of Object.values(screens)) await screen?.dispose();
});
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
});
afterEach(() => box.cleanup());

function stored(account: string): string[] | null {
  const shown = box.run(['show', account, '--json']);
  if (shown.status !== 0) return null;
  return JSON.parse(shown.stdout).codes.map((code: { code: string }) => code.code);
}

/**
 * The codes in the order that matters: Instagram's and Google's are read in their order (Google numbers
 * them); GitHub's two CSS columns have no numbers and any unused code works, so they compare as a set.
 */
function inOrder(name: string, codes: readonly string[] | null): string[] | null {
  if (codes === null) return null;
  return name === 'github' ? [...codes].sort() : [...codes];
}

describe.runIf(ready)('add --image reads a screenshot with tesseract', () => {
  for (const [name, expected] of [
    ['instagram', INSTAGRAM],
    ['google', GOOGLE],
    ['github', GITHUB],
  ] as const) {
    it(`reads exactly the codes of a ${name}-like screen`, () => {
      const screen = screens[name];
      if (!screen) throw new Error('no screenshot');
      const result = box.run(['add', name, '--image', screen.png, '--yes']);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe('');
      expect(inOrder(name, stored(name))).toEqual(inOrder(name, expected));
    }, SLOW);

    it(`reads a photo-like copy of a ${name}-like screen exactly, or refuses it, never wrongly`, async () => {
      const screen = screens[name];
      if (!screen) throw new Error('no screenshot');
      const photo = await photoOf(screen, 1.5);
      const before = bytesOf(box.vault);
      const result = box.run(['add', name, '--image', photo, '--yes']);
      if (result.status === 0) {
        expect(inOrder(name, stored(name))).toEqual(inOrder(name, expected));
      } else {
        expect(result.status, result.stderr).toBe(1);
        expect(bytesOf(box.vault)).toEqual(before);
      }
    }, SLOW);
  }

  it('refuses to store an OCR reading unseen: without a terminal it needs --yes', () => {
    const screen = screens.instagram;
    if (!screen) throw new Error('no screenshot');
    const before = bytesOf(box.vault);
    const result = box.run(['add', 'instagram', '--image', screen.png]);
    expect(result.status).toBe(2);
    expect(talk(result)).toEqual([
      'lifeboat: error: codes read from an image must be seen before they are stored: refused without a terminal',
      'lifeboat: hint: add --yes to store a reading that several OCR passes agree on',
    ]);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('says how to install tesseract when it is missing, exit 1', () => {
    const screen = screens.instagram;
    if (!screen) throw new Error('no screenshot');
    // A PATH with only setsid (which the harness starts the binary with): no tesseract on it.
    const bin = path.join(box.dir, 'bin');
    fs.mkdirSync(bin);
    const setsid = ['/usr/bin/setsid', '/bin/setsid'].find((file) => fs.existsSync(file));
    if (setsid) fs.symlinkSync(setsid, path.join(bin, 'setsid'));
    const before = bytesOf(box.vault);
    const result = box.run(['add', 'instagram', '--image', screen.png, '--yes'], { env: { PATH: bin } });
    expect(result.status).toBe(1);
    expect(talk(result)).toContain('lifeboat: error: reading codes from an image needs tesseract, which is not installed');
    expect(talk(result).join('\n')).toContain('apt install tesseract-ocr');
    expect(bytesOf(box.vault)).toEqual(before);
  });
});

describe('add --file with a file that is not text names the right flag', () => {
  // Regression (issue 10): a screenshot given to --file was read as text and offered 41 garbage candidates.
  it('a PNG screenshot', () => {
    const png = path.join(box.dir, 'codes.png');
    fs.writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2a1d2e60000000049454e44ae426082', 'hex'));
    const before = bytesOf(box.vault);
    const result = box.run(['add', 'instagram', '--file', png]);
    expect(result.status).toBe(2);
    expect(talk(result)).toEqual([`lifeboat: error: ${png} is an image, not a text file`, `lifeboat: hint: read the codes in a screenshot with --image ${png}`]);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a JPEG, a GIF and a WebP image', () => {
    for (const [name, head] of [
      ['a.jpg', 'ffd8ffe000104a464946'],
      ['a.gif', '474946383961'],
      ['a.webp', '52494646240000005745425056503820'],
    ] as const) {
      const file = path.join(box.dir, name);
      fs.writeFileSync(file, Buffer.concat([Buffer.from(head, 'hex'), Buffer.from('1234 5678\n2345 6789\n')]));
      const result = box.run(['add', 'instagram', '--file', file]);
      expect(result.status, name).toBe(2);
      expect(talk(result)[1], name).toContain('--image');
    }
  });

  it('a PDF', () => {
    const pdf = path.join(box.dir, 'codes.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n(1234 5678) (2345 6789)\n');
    const result = box.run(['add', 'instagram', '--file', pdf]);
    expect(result.status).toBe(2);
    expect(talk(result)[0]).toBe(`lifeboat: error: ${pdf} is a PDF, not a text file`);
    expect(talk(result)[1]).toContain('--image');
  });

  it('a binary file', () => {
    const file = path.join(box.dir, 'codes.bin');
    fs.writeFileSync(file, Buffer.from([0x31, 0x32, 0x33, 0x34, 0x20, 0x35, 0x36, 0x37, 0x38, 0x00, 0x0a, 0x39, 0x39]));
    const result = box.run(['add', 'instagram', '--file', file]);
    expect(result.status).toBe(2);
    expect(talk(result)[0]).toBe(`lifeboat: error: ${file} is not a text file`);
    expect(talk(result)[1]).toContain('--image');
    expect(stored('instagram')).toBeNull();
  });
});
