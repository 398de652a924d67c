/**
 * The measuring half of runtime-spawn: its own process, holding HELD_MB more memory than a bare
 * runtime, starts 200 actions (`/bin/true`) one after another, started as `runAction` starts
 * them — by Node's `spawn` (`node`), by posix_spawn (`posix`) or from the action helper
 * (`helper`: the runtime's helper program, out/runtime/actions/helper-main.js) — and prints
 * `{ rss, p50, p99, blockedP50, blockedP99 }` as JSON: ms from the call to the child's start (for
 * `node` its `spawn` event, for `posix` the return, both after the exec; for `helper` the
 * helper's report, one IPC hop late) and ms the call held this process's event loop (the
 * synchronous part, when tailing and matching wait). Argv: HELD_MB node|posix|helper.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ActionHelper } from '../runtime/actions/action-helper.js';
import { start as posixSpawn } from '../runtime/actions/posix-spawn.js';

const heldMb = Number(process.argv[2]);
const how = process.argv[3];
const SPAWNS = 200;
// Touched, as a daemon's keys and buffers are: untouched memory would not be copied by fork.
const held = Array.from({ length: heldMb }, () => Buffer.alloc(1 << 20, 1));
const helper = how === 'helper' ? new ActionHelper(fileURLToPath(new URL('../runtime/actions/helper-main.js', import.meta.url))) : null;

/** Starts one action; resolves with ms to its start and ms of blocked event loop once it has ended. */
function startOne(): Promise<{ started: number; blocked: number }> {
  const began = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - began) / 1e6;
  return new Promise((resolve, reject) => {
    if (helper !== null) {
      let startedMs = NaN;
      const options = { env: process.env, timeoutMs: 0, killGraceMs: 1000, outputCap: 4096, onSpawn: () => (startedMs = elapsed()) };
      const done = helper.run(['/bin/true'], options);
      const blocked = elapsed();
      void done.then((outcome) => (outcome.kind === 'exited' ? resolve({ started: startedMs, blocked }) : reject(new Error(JSON.stringify(outcome)))));
      return;
    }
    if (how === 'posix') {
      const child = posixSpawn(['/bin/true'], process.env);
      if (child === null) throw new Error('posix_spawn is not available here');
      const startedMs = elapsed();
      child.on('close', () => resolve({ started: startedMs, blocked: startedMs }));
      return;
    }
    const child = spawn('/bin/true', [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const blocked = elapsed();
    let startedMs = NaN;
    child.once('spawn', () => (startedMs = elapsed()));
    child.on('error', reject);
    child.on('close', () => resolve({ started: startedMs, blocked }));
  });
}

if (helper !== null) {
  // Started ahead, as the ActionRunner does: its own start is not an action's cost.
  helper.start();
  await startOne();
}
const started: number[] = [];
const blocked: number[] = [];
for (let i = 0; i < SPAWNS; i++) {
  const one = await startOne();
  started.push(one.started);
  blocked.push(one.blocked);
}
const at = (times: number[], p: number): number => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
await helper?.close(1000);
process.stdout.write(JSON.stringify({
  rss: process.memoryUsage().rss, p50: at(started, 50), p99: at(started, 99), blockedP50: at(blocked, 50), blockedP99: at(blocked, 99), held: held.length,
}));
