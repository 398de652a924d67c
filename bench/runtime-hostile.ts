/**
 * What one hostile line costs each pattern of the catalogue (runtime-hostile-cases.ts) as
 * `rulec run` runs it (V8's linear-time fallback, a trailing lookahead rewritten into its
 * subset, the per-line deadline for the rest) against V8's defaults, each mode in a fresh
 * process (runtime-hostile-child.ts), then the worst of them. No goal per line: the figure is
 * how long one such line holds up the engine; issue 15 asked for at most ~50 ms.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './bench.js';
import { HOSTILE } from './runtime-hostile-cases.js';

function lineTimes(mode: 'bounded' | 'unbounded'): { times: Record<string, number>; cpuTimes: Record<string, number> } {
  const child = fileURLToPath(new URL('./runtime-hostile-child.js', import.meta.url));
  const result = spawnSync(process.execPath, [child, mode], { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`hostile-line benchmark child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { times: Record<string, number>; cpuTimes: Record<string, number> };
}

export const hostileBench: Benchmark = {
  name: 'runtime-hostile',
  async run() {
    const { times: bounded, cpuTimes: boundedCpu } = lineTimes('bounded');
    const { times: unbounded, cpuTimes: unboundedCpu } = lineTimes('unbounded');
    const worstCpu = HOSTILE.reduce((a, b) => (boundedCpu[b.name]! > boundedCpu[a.name]! ? b : a));
    const baseline = (name: string): { name: string; value: number } => ({ name: 'V8 defaults', value: unbounded[name]! });
    const worst = HOSTILE.reduce((a, b) => (bounded[b.name]! > bounded[a.name]! ? b : a));
    const worstBase = HOSTILE.reduce((a, b) => (unbounded[b.name]! > unbounded[a.name]! ? b : a));
    return [
      ...HOSTILE.map(({ name }) => ({ name: `one hostile line, ${name}`, value: bounded[name]!, unit: 'ms', baseline: baseline(name) })),
      {
        name: `worst line over the catalogue (${worst.name})`,
        value: bounded[worst.name]!,
        unit: 'ms',
        goal: '≤ 50 ms',
        baseline: { name: `worst under V8 defaults (${worstBase.name})`, value: unbounded[worstBase.name]! },
      },
      {
        name: `worst CPU time of a line over the catalogue (${worstCpu.name})`,
        value: boundedCpu[worstCpu.name]!,
        unit: 'ms',
        baseline: { name: 'that line under V8 defaults', value: unboundedCpu[worstCpu.name]! },
      },
    ];
  },
};
