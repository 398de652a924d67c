/**
 * What starting an action costs as the daemon grows. Node's `spawn` forks: the time grows with
 * the memory the parent has touched, and the event loop (tailing, matching) waits meanwhile.
 * posix_spawn (runtime/actions/posix-spawn.ts, what `runAction` uses where it can) shares the
 * memory until exec. Measured in fresh child processes (runtime-spawn-child.ts) holding 0 and
 * 250 MB more than a bare runtime; each posix_spawn figure beside Node's `spawn` at the same
 * size. No goal: it shows why actions no longer need the helper process where posix_spawn runs.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './bench.js';

const MORE_MB = 250;

function spawnCost(heldMb: number, how: 'node' | 'posix'): { rss: number; p50: number; p99: number } {
  const child = fileURLToPath(new URL('./runtime-spawn-child.js', import.meta.url));
  const result = spawnSync(process.execPath, [child, String(heldMb), how], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`spawn benchmark child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { rss: number; p50: number; p99: number };
}

export const spawnBench: Benchmark = {
  name: 'runtime-spawn',
  async run() {
    const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB RSS`;
    const figures = [];
    for (const held of [0, MORE_MB]) {
      const forked = spawnCost(held, 'node');
      const posix = spawnCost(held, 'posix');
      figures.push(
        { name: `action start by posix_spawn p50 at ${mb(posix.rss)}`, value: posix.p50, unit: 'ms', baseline: { name: `Node's spawn at ${mb(forked.rss)}`, value: forked.p50 } },
        { name: `action start by posix_spawn p99 at ${mb(posix.rss)}`, value: posix.p99, unit: 'ms', baseline: { name: `Node's spawn at ${mb(forked.rss)}`, value: forked.p99 } },
      );
    }
    return figures;
  },
};
