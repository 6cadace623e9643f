import { defineConfig } from 'vitest/config';

// `npm run proof`: every proof suite of issue 5, the fast subset (test/proof/*.test.ts, also run by
// `npm test`) and the full runs (test/proof/*.slow.test.ts). The files run one at a time: they start
// many processes each, and the concurrency suites measure lock waits that a busy machine would distort.
export default defineConfig({
  test: {
    include: ['test/proof/**/*.test.ts'],
    exclude: ['node_modules/**'],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
