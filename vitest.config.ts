import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds out/ (when stale) for the tests that spawn bin/rulec.js.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real-time tests (tailing, rotation, actions) measure wall-clock behaviour; on a
    // two-core machine running them in parallel with CPU-heavy suites skews their timing.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
