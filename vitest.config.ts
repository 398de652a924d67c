import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds out/ (when stale) for the tests that spawn bin/rulec.js.
    globalSetup: ['test/global-setup.ts'],
    // Compiled rule files are cached (compiler/compile-cache.ts): the suite's go to a directory of
    // its own, not the user's ~/.cache. Tests of the cache itself set their own.
    env: { XDG_CACHE_HOME: join(tmpdir(), `rulec-test-cache-${process.getuid?.() ?? 0}`) },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // One worker per core of the two-core CI machine. Real-time tests (tailing, rotation,
    // actions) then share the CPU with other suites, so their time bounds leave room for that.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
