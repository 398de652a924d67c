/**
 * What starting an action costs as the daemon grows: Node starts a child with fork() and exec(),
 * synchronously, so the time grows with the memory the parent has touched and the event loop
 * (tailing, matching) waits meanwhile. Measured in fresh child processes (runtime-spawn-child.ts)
 * holding 0 and 250 MB more than a bare runtime, and the large one again starting its actions
 * through the action helper (what `rulec run` does). No goal: it sizes the limit the helper lifts.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './bench.js';

const MORE_MB = 250;

function spawnCost(heldMb: number, via: 'self' | 'helper' = 'self'): { rss: number; p50: number; p99: number } {
  const child = fileURLToPath(new URL('./runtime-spawn-child.js', import.meta.url));
  const args = [child, String(heldMb), ...(via === 'helper' ? ['helper'] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`spawn benchmark child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { rss: number; p50: number; p99: number };
}

export const spawnBench: Benchmark = {
  name: 'runtime-spawn',
  async run() {
    const small = spawnCost(0);
    const large = spawnCost(MORE_MB);
    const helped = spawnCost(MORE_MB, 'helper');
    const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB RSS`;
    return [
      { name: `action start p50 at ${mb(large.rss)}`, value: large.p50, unit: 'ms', baseline: { name: `at ${mb(small.rss)}`, value: small.p50 } },
      { name: `action start p99 at ${mb(large.rss)}`, value: large.p99, unit: 'ms', baseline: { name: `at ${mb(small.rss)}`, value: small.p99 } },
      { name: `action start p50 at ${mb(helped.rss)}, through the action helper`, value: helped.p50, unit: 'ms', baseline: { name: 'from the process itself', value: large.p50 } },
      { name: `action start p99 at ${mb(helped.rss)}, through the action helper`, value: helped.p99, unit: 'ms', baseline: { name: 'from the process itself', value: large.p99 } },
    ];
  },
};
