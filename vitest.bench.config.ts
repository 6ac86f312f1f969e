import { defineConfig } from 'vitest/config';

// Benchmarks: long, measured runs that print ratios against a baseline measured in the same run.
// Not part of `npm test`; run with `npm run bench:media` (and bench:cloud, bench:local).
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60 * 60 * 1000,
    hookTimeout: 60 * 60 * 1000,
    globalSetup: ['test/helpers/globalSetup.ts'],
  },
});
