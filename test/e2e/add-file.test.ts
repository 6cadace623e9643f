// End-to-end: `lifeboat add --file` and piped stdin through the recognizer, for every import fixture
// (issue 4: "Import what services really hand out", "Tests": "`add --file` for every fixture through the real binary").
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, sandbox, type Run, type Sandbox } from '../support/cli.js';

/** The expectation beside each fixture (the same shape test/import/fixtures.test.ts reads). */
interface Expectation {
  readonly fileName?: string;
  readonly confidence: 'confident' | 'ambiguous' | 'none';
  readonly codes?: readonly string[];
  readonly used?: readonly string[];
}

interface ShownCode {
  readonly code: string;
  readonly state: string;
}

const folder = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const fixtures = fs
  .readdirSync(folder)
  .filter((file) => file.endsWith('.txt'))
  .map((file) => file.slice(0, -'.txt'.length))
  .sort()
  .map((name) => ({ name, expected: JSON.parse(fs.readFileSync(path.join(folder, `${name}.expect.json`), 'utf8')) as Expectation }));

let box: Sandbox;
beforeAll(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
});
afterAll(() => box.cleanup());

/**
 * The fixture copied to a folder of its own under the name the service's download has (the recognizer knows
 * `github-recovery-codes.txt` and friends by name), or under its own name when the expectation names none.
 */
function placed(name: string, expected: Expectation): string {
  const dir = fs.mkdtempSync(path.join(box.dir, `${name}-`));
  const fileName = expected.fileName ?? `${name}.txt`;
  // Expectations may give a Windows path (C:\Users\...\github-recovery-codes (1).txt): keep the last part.
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const file = path.join(dir, base);
  fs.copyFileSync(path.join(folder, `${name}.txt`), file);
  return file;
}

function shown(account: string): ShownCode[] {
  const run = box.run(['show', account, '--json']);
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { codes: ShownCode[] }).codes;
}

/** A refusal as a user should see it: exit 1, an error and a hint on stderr, no stack, nothing on stdout. */
function expectRefusal(run: Run): void {
  expect(run.status, run.stderr).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^lifeboat: error: \S/m);
  expect(run.stderr).toMatch(/^lifeboat: hint: \S/m);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/Error:|please report/);
}

describe('lifeboat add --file: every fixture', () => {
  it('has fixtures of every kind to run', () => {
    const kinds = new Set(fixtures.map((fixture) => fixture.expected.confidence));
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    expect([...kinds].sort()).toEqual(['ambiguous', 'confident', 'none']);
  });

  for (const { name, expected } of fixtures) {
    if (expected.confidence === 'confident') {
      it(`${name}: stores exactly the expected codes in order, used ones spent`, () => {
        const run = box.run(['add', name, '--file', placed(name, expected), '--yes']);
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^lifeboat: recognized .+: \d+ codes?/m);
        expect(run.stderr).toContain(`stored ${expected.codes?.length} code`);
        const codes = shown(name);
        expect(codes.map((code) => code.code)).toEqual(expected.codes);
        const used = new Set(expected.used ?? []);
        expect(codes.map((code) => code.state)).toEqual(codes.map((code) => (used.has(code.code) ? 'spent' : 'unspent')));
      });
    } else {
      it(`${name}: refused (${expected.confidence}) even with --yes, vault untouched`, () => {
        const before = bytesOf(box.vault);
        const run = box.run(['add', name, '--file', placed(name, expected), '--yes']);
        expectRefusal(run);
        if (expected.confidence === 'ambiguous') {
          // It says why it is unsure (a line of its own, before the error), then what it found and that nothing was stored.
          expect(run.stderr).toMatch(/^lifeboat: (?!warning:|error:|hint:)\S.+\nlifeboat: error: /m);
          expect(run.stderr).toMatch(/not sure which of these \d+ candidates are codes: nothing was stored/);
        } else {
          expect(run.stderr).toContain('nothing in the text has the shape of a backup code');
        }
        expect(bytesOf(box.vault)).toEqual(before);
      });
    }
  }
});

describe('lifeboat add: piped stdin goes through the same recognizer', () => {
  const text = (name: string): string => fs.readFileSync(path.join(folder, `${name}.txt`), 'utf8');

  it('a confident paste (Instagram) is stored as recognized', () => {
    // --yes: the fixture loop above already stored these codes under another account, which is asked about (issue 10).
    const run = box.run(['add', 'stdin-instagram', '--yes'], { input: text('instagram-paste') });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('recognized Instagram backup codes: 5 codes');
    expect(shown('stdin-instagram').map((code) => code.code)).toEqual(['3402 7719', '8156 0243', '6620 9187', '0974 3358', '5231 6604']);
  });

  it('an ambiguous note is refused without a terminal, with and without --yes, and nothing is stored', () => {
    const before = bytesOf(box.vault);
    for (const args of [[], ['--yes']]) {
      const run = box.run(['add', 'stdin-note', ...args], { input: text('note-ambiguous') });
      expectRefusal(run);
      expect(run.stderr).toContain('candidates are codes: nothing was stored');
    }
    expect(bytesOf(box.vault)).toEqual(before);
  });
});
