/**
 * The measuring half of runtime-spawn: its own process, holding HELD_MB more memory than a bare
 * runtime, starts 200 actions (`/bin/true`) one after another, started as `runAction` starts
 * them — by Node's `spawn` (`node`: ms from the call to its `spawn` event) or by posix_spawn
 * (`posix`: ms to its return; both come after the exec) — and prints `{ rss, p50, p99 }` as
 * JSON. Argv: HELD_MB node|posix.
 */
import { spawn } from 'node:child_process';
import { start as posixSpawn } from '../runtime/actions/posix-spawn.js';

const heldMb = Number(process.argv[2]);
const how = process.argv[3];
const SPAWNS = 200;
// Touched, as a daemon's keys and buffers are: untouched memory would not be copied by fork.
const held = Array.from({ length: heldMb }, () => Buffer.alloc(1 << 20, 1));

/** Starts one action; resolves with ms to its start once it has ended. */
function startOne(): Promise<number> {
  const began = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - began) / 1e6;
  return new Promise((resolve, reject) => {
    if (how === 'posix') {
      const child = posixSpawn(['/bin/true'], process.env);
      if (child === null) throw new Error('posix_spawn is not available here');
      const startedMs = elapsed();
      child.on('close', () => resolve(startedMs));
      return;
    }
    const child = spawn('/bin/true', [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let startedMs = NaN;
    child.once('spawn', () => (startedMs = elapsed()));
    child.on('error', reject);
    child.on('close', () => resolve(startedMs));
  });
}

const times: number[] = [];
for (let i = 0; i < SPAWNS; i++) times.push(await startOne());
times.sort((a, b) => a - b);
const at = (p: number): number => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss, p50: at(50), p99: at(99), held: held.length }));
