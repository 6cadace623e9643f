// The fuzzers of issue 11 ("Proof"), a short run each in `npm test`; test/proof/fuzz.slow.test.ts runs them longer.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { compileFuzzer, fuzzFor, removeFuzzer } from './run.js';

const SECONDS = 6;

describe('coverage-guided fuzzing of the parsers that read untrusted bytes', () => {
  beforeAll(() => {
    compileFuzzer();
  }, 120_000);
  afterAll(() => removeFuzzer());
  it.each(['vault', 'content', 'export', 'recognize'] as const)(`%s: ${SECONDS} s without a crash, a hang, an undocumented error or a broken rule`, (name) => {
    fuzzFor(name, SECONDS * 1000);
  }, (SECONDS + 20) * 1000);
});
