/**
 * The measuring half of runtime-spawn: its own process, holding HELD_MB more memory than a bare
 * runtime, starts 200 actions one after another — from itself with `runAction`, or (`helper`)
 * through the action helper as `rulec run` does — and prints `{ rss, p50, p99 }` (ms from the
 * call to the child's `spawn` event, as reported back by the helper) as JSON.
 * Argv: HELD_MB [helper].
 */
import { fileURLToPath } from 'node:url';
import { ActionHelper } from '../runtime/actions/action-helper.js';
import { runAction } from '../runtime/actions/run-action.js';

const heldMb = Number(process.argv[2]);
const helper = process.argv[3] === 'helper' ? new ActionHelper(fileURLToPath(new URL('../../bin/rulec.js', import.meta.url))) : null;
helper?.start();
const start = helper === null ? runAction : (...args: Parameters<typeof runAction>) => helper.run(...args);
const SPAWNS = 200;
// Touched, as a daemon's keys and buffers are: untouched memory would not be copied by fork.
const held = Array.from({ length: heldMb }, () => Buffer.alloc(1 << 20, 1));
const times: number[] = [];
for (let i = 0; i < SPAWNS; i++) {
  const started = process.hrtime.bigint();
  let spawnedMs = NaN;
  await start(['/bin/true'], {
    env: process.env, timeoutMs: 0, killGraceMs: 1000, outputCap: 0,
    onSpawn: () => { spawnedMs = Number(process.hrtime.bigint() - started) / 1e6; },
  });
  times.push(spawnedMs);
}
await helper?.close(0);
times.sort((a, b) => a - b);
const at = (p: number): number => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, p50: at(50), p99: at(99), held: held.length }));
