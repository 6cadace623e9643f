// The fuzzer's own tests: the guidance works (a defect three comparisons deep is found in seconds), and the oracle
// rejects content that breaks the model's rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultContent } from '../../src/domain/index.js';
import { OracleViolation } from './engine.js';
import { checkContent } from './model-rules.js';
import { compileFuzzer, removeFuzzer, runFuzzer } from './run.js';

const sample = (name: string, other = 'github'): VaultContent => ({
  accounts: [name, other].map((n, i) => ({
    id: `${i}000000000000000`,
    name: n,
    service: null,
    username: null,
    note: null,
    createdAt: '2025-01-01T00:00:00Z',
    batches: [],
  })),
  tombstones: [],
});

describe('the oracle', () => {
  it('accepts valid content', () => {
    expect(() => checkContent(sample('instagram'))).not.toThrow();
  });
  it.each([
    ['a name with a control character', sample('evil\u001b]52;c;aGk=\u0007')],
    ['two names that differ only in case', sample('GitHub')],
    ['a name with a trailing space', sample('instagram ')],
  ])('rejects %s', (_, content) => {
    expect(() => checkContent(content)).toThrow(OracleViolation);
  });
});

describe('the guidance', () => {
  beforeAll(() => {
    compileFuzzer();
  }, 120_000);
  afterAll(() => removeFuzzer());
  it('finds a defect three nested comparisons deep within 60 s (about 12 s on a loaded machine), which blind mutation would not', () => {
    const report = runFuzzer('planted', 60_000, '12345', true);
    console.log(`fuzz planted: found after ${report.executions} executions, ${(report.milliseconds / 1000).toFixed(1)} s`);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings[0]).toContain('TypeError: the planted defect');
    expect(report.corpusAtEnd).toBeGreaterThan(report.corpusAtStart);
  }, 150_000);
});
