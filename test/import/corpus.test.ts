import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../src/import/index.js';
import { figures, judge, loadCorpus } from './corpus.js';

/**
 * The corpus of issue 10: samples grounded in services' own code and in the ways people keep codes.
 * No sample may be stored wrong or have a code dropped; the figures are printed for docs/formats.md.
 */
const samples = loadCorpus();

describe('recognize: the corpus', () => {
  it('has at least 25 services beyond the first fixtures, each with its source', () => {
    const known = new Set<string>(Object.keys(SERVICE_NAMES));
    const services = new Set(samples.map((sample) => sample.expected.service).filter((service) => service !== null && !known.has(service)));
    expect(services.size).toBeGreaterThanOrEqual(25);
    for (const sample of samples) expect(sample.expected.source.length, sample.name).toBeGreaterThan(10);
  });

  for (const sample of samples) {
    it(sample.name, () => {
      const { verdict, result } = judge(sample);
      expect(['exact', 'asked'], `${verdict}: ${JSON.stringify(result, null, 1)}`).toContain(verdict);
    });
  }

  it('stores at least 90% of the samples a person reads without hesitation without a question', () => {
    const counted = figures(samples);
    console.log(
      `corpus: ${counted.samples} samples: ${counted.exact} exact, ${counted.asked} asked, ${counted.badDefault} bad defaults, ` +
        `${counted.wrong} wrong, ${counted.dropped} dropped; readable stored without a question: ` +
        `${counted.readableWithoutQuestion}/${counted.readable}`,
    );
    expect(counted.wrong).toBe(0);
    expect(counted.dropped).toBe(0);
    expect(counted.badDefault).toBe(0);
    expect(counted.readableWithoutQuestion / counted.readable).toBeGreaterThanOrEqual(0.9);
  });
});
