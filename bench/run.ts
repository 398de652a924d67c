/**
 * `npm run bench`: runs every registered benchmark (or those whose name contains the first
 * argument) and prints each figure beside its baseline. Benchmarks are never unit tests.
 * To add one: export a `Benchmark` from `bench/<name>.ts` and list it below.
 */
import { enableLinearRegexFallback } from '../runtime/engine/linear-regex-fallback.js';
import type { Benchmark } from './bench.js';
import { formatFigure } from './bench.js';
import { buildBench } from './compiler-build.js';
import { checkBench } from './compiler-check.js';
import { prefilterBench } from './compiler-prefilter.js';
import { lspBench } from './lsp-diagnostics.js';
import { actionsBench } from './runtime-actions.js';
import { hostileBench } from './runtime-hostile.js';
import { latencyBench } from './runtime-latency.js';
import { memoryBench } from './runtime-memory.js';
import { monitorBench } from './runtime-monitor.js';
import { snortBench } from './runtime-snort.js';
import { spawnBench } from './runtime-spawn.js';
import { startupBench } from './runtime-startup.js';
import { tailBench } from './runtime-tail.js';
import { testPathBench } from './runtime-test-path.js';
import { throughputBench } from './runtime-throughput.js';
import { watchBench } from './runtime-watch.js';

const benchmarks: readonly Benchmark[] = [
  checkBench,
  buildBench,
  prefilterBench,
  lspBench,
  throughputBench,
  tailBench,
  testPathBench,
  latencyBench,
  memoryBench,
  spawnBench,
  startupBench,
  actionsBench,
  hostileBench,
  snortBench,
  watchBench,
  monitorBench,
];

// As every rulec process does (guardProcess), before any benchmark loads a rule module: measure what operators run.
enableLinearRegexFallback();

const filter = process.argv[2] ?? '';
for (const bench of benchmarks.filter((b) => b.name.includes(filter))) {
  const figures = await bench.run();
  for (const figure of figures) console.log(formatFigure(bench.name, figure));
}
