import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeKey } from '../../src/domain/index.js';
import { recognize } from '../../src/import/index.js';

/**
 * Test vectors are data: each `<name>.txt` in test/fixtures/import is read as a service or a person
 * wrote it, and `<name>.expect.json` beside it says what must come out. Every code in them is invented.
 *
 * - confident: exactly `codes` in this order, `used` marked, `service` (and `label` when given);
 * - ambiguous: `real` lists the codes the text really holds; every one of them must be offered, and
 *   no candidate offered without a doubt may be anything else (refusing is fine, a wrong answer is not);
 * - none: nothing offered.
 */
interface Expectation {
  readonly fileName?: string;
  readonly confidence: 'confident' | 'ambiguous' | 'none';
  readonly service?: string | null;
  readonly label?: string;
  readonly codes?: readonly string[];
  readonly used?: readonly string[];
  readonly real?: readonly string[];
}

const folder = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const names = readdirSync(folder)
  .filter((file) => file.endsWith('.txt'))
  .map((file) => file.slice(0, -'.txt'.length))
  .sort();

describe('recognize: fixtures', () => {
  it('has a fixture for every layout and an expectation for every fixture', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    for (const name of names) expect(readdirSync(folder)).toContain(`${name}.expect.json`);
  });

  for (const name of names) {
    it(name, () => {
      const text = readFileSync(`${folder}${name}.txt`, 'utf8');
      const expected = JSON.parse(readFileSync(`${folder}${name}.expect.json`, 'utf8')) as Expectation;
      const result = recognize(text, expected.fileName === undefined ? {} : { fileName: expected.fileName });

      expect(result.confidence, JSON.stringify(result, null, 1)).toBe(expected.confidence);
      if (result.confidence === 'confident') {
        expect(result.codes.map((code) => code.code)).toEqual(expected.codes);
        expect(result.codes.filter((code) => code.used).map((code) => code.code)).toEqual(expected.used ?? []);
        expect(result.service).toBe(expected.service ?? null);
        if (expected.label !== undefined) expect(result.label).toBe(expected.label);
      }
      if (result.confidence === 'ambiguous') {
        const real = new Set((expected.real ?? []).map(codeKey));
        const offered = new Set(result.candidates.map((candidate) => codeKey(candidate.code)));
        for (const code of real) expect(offered, `real code ${code} is offered`).toContain(code);
        for (const candidate of result.candidates) {
          if (candidate.doubt === null) expect(real, `${candidate.code} is offered without doubt`).toContain(codeKey(candidate.code));
          expect(candidate.line).toBeGreaterThan(0);
        }
        expect(result.explanation.length).toBeGreaterThan(0);
        if (expected.service !== undefined) expect(result.service).toBe(expected.service);
      }
      if (result.confidence === 'none') expect(result.explanation.length).toBeGreaterThan(0);
    });
  }
});
