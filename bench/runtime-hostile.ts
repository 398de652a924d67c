/**
 * What one hostile line costs a pattern that backtracks, with the bound `rulec run` and bundles
 * set (V8's linear-time fallback after 1,000 backtracks, cases spelled out instead of `i`)
 * against V8's defaults, each in a fresh process (runtime-hostile-child.ts). No goal: the
 * figure is how long one such line holds up the engine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './bench.js';
import { HOSTILE } from './runtime-hostile-cases.js';

function lineTimes(mode: 'bounded' | 'unbounded'): Record<string, number> {
  const child = fileURLToPath(new URL('./runtime-hostile-child.js', import.meta.url));
  const result = spawnSync(process.execPath, [child, mode], { encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`hostile-line benchmark child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, number>;
}

export const hostileBench: Benchmark = {
  name: 'runtime-hostile',
  async run() {
    const bounded = lineTimes('bounded');
    const unbounded = lineTimes('unbounded');
    return HOSTILE.map(({ name }) => ({
      name: `one hostile line, ${name}`,
      value: bounded[name]!,
      unit: 'ms',
      baseline: { name: 'V8 defaults (the i flag where caseless)', value: unbounded[name]! },
    }));
  },
};
