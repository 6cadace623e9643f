import { defineConfig } from 'vitest/config';

// The JSON report is what .ci/run reads to print its one-line total.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/proof/**/*.slow.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'vitest.json' },
  },
});
