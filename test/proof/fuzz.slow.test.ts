// `npm run proof`: the fuzzers of issue 11 for a minute each (test/fuzz/fuzz.test.ts runs them briefly in `npm test`).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { compileFuzzer, fuzzFor, removeFuzzer } from '../fuzz/run.js';

const SECONDS = 60;

describe('coverage-guided fuzzing, long runs', () => {
  beforeAll(() => {
    compileFuzzer();
  }, 180_000);
  afterAll(() => removeFuzzer());
  it.each(['vault', 'content', 'export', 'recognize'] as const)(`%s: ${SECONDS} s clean`, (name) => {
    fuzzFor(name, SECONDS * 1000);
  }, (SECONDS + 90) * 1000);
});
