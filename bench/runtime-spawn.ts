/**
 * What starting an action costs as the daemon grows, the three ways the runtime can start one.
 * Node's `spawn` forks: the time grows with the memory the parent has touched, and the event
 * loop (tailing, matching) waits meanwhile. posix_spawn (runtime/actions/posix-spawn.ts, what
 * `runAction` uses where it can) shares the memory until exec. Where posix_spawn cannot be used
 * (a bundle without koffi), the action helper forks from a small process instead. Measured in
 * fresh child processes (runtime-spawn-child.ts) holding 50 and 250 MB more than a bare runtime
 * (~100 MB RSS: a bundle of 200 rules; ~320 MB: one holding many keys), each figure beside
 * Node's `spawn` at the same size: time to the child's start, and the event loop held per action.
 * No goal: it shows where posix_spawn, and failing it the helper, still win.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Benchmark, Figure } from './bench.js';

const SIZES_MB = [50, 250];

interface Cost {
  readonly rss: number;
  readonly p50: number;
  readonly p99: number;
  readonly blockedP50: number;
  readonly blockedP99: number;
}

function spawnCost(heldMb: number, how: 'node' | 'posix' | 'helper'): Cost {
  const child = fileURLToPath(new URL('./runtime-spawn-child.js', import.meta.url));
  const result = spawnSync(process.execPath, [child, String(heldMb), how], { encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`spawn benchmark child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Cost;
}

export const spawnBench: Benchmark = {
  name: 'runtime-spawn',
  async run() {
    const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB RSS`;
    const figures: Figure[] = [];
    for (const held of SIZES_MB) {
      const forked = spawnCost(held, 'node');
      const baseline = (value: number, what = ''): Figure['baseline'] => ({ name: `Node's spawn${what} at ${mb(forked.rss)}`, value });
      for (const how of ['posix', 'helper'] as const) {
        const cost = spawnCost(held, how);
        const by = how === 'posix' ? 'by posix_spawn' : 'from the action helper';
        figures.push(
          { name: `action start ${by} p50 at ${mb(cost.rss)}`, value: cost.p50, unit: 'ms', baseline: baseline(forked.p50) },
          { name: `action start ${by} p99 at ${mb(cost.rss)}`, value: cost.p99, unit: 'ms', baseline: baseline(forked.p99) },
          { name: `event loop held per action ${by} p50 at ${mb(cost.rss)}`, value: cost.blockedP50, unit: 'ms', baseline: baseline(forked.blockedP50, ', held') },
          { name: `event loop held per action ${by} p99 at ${mb(cost.rss)}`, value: cost.blockedP99, unit: 'ms', baseline: baseline(forked.blockedP99, ', held') },
        );
      }
    }
    return figures;
  },
};
