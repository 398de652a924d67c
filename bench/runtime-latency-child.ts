/**
 * The measuring half of runtime-latency, run as its own process so that, as under `rulec run
 * BUNDLE`, only the runtime and the compiled module are loaded (a process holding the compiler
 * is four times larger, and fork() for each action costs with the size). Argv: MODE FILE
 * [MODULE.mjs]. MODE `bare`: a bare tailer notes when each `ALERT <stamp>` line is delivered;
 * `pipeline`: a daemon built as `rulec run` builds it (createDaemon) notes when the ALERT
 * item's action is submitted and when its child process has started: by posix_spawn where it
 * can (noted when posix_spawn returns, after the exec), else from the action helper (noted when
 * the helper's report arrives, so it includes that hop). Prints `ready` once following; when
 * stdin ends it stops and prints `{ startedBy, latencies: { kind: latencies in ms } }` as JSON.
 */
import { pathToFileURL } from 'node:url';
import { posixSpawnAvailable } from '../runtime/actions/posix-spawn.js';
import { createDaemon, Logger, type ActionRequest, type RuleModule } from '../runtime/index.js';
import { FileTailer } from '../runtime/sources/tail/index.js';
import { monotonicClock } from './wall-clock.js';

const [mode, file, moduleFile] = process.argv.slice(2);
const monotonicMs = monotonicClock();
const latencies: Record<string, number[]> = {};
const record = (kind: string, stamp: string): void => {
  const at = monotonicMs();
  (latencies[kind] ??= []).push(at - Number(stamp));
};

let stop: () => Promise<void>;
let startedBy = '';
if (mode === 'bare') {
  const tailer = new FileTailer({ path: file!, start: 'end', fileType: 'file' }, {
    lines: (lines) => {
      for (const line of lines) if (line.startsWith('ALERT ')) record('delivered', line.slice(6));
    },
  });
  await tailer.start();
  stop = () => tailer.stop();
} else {
  const module = ((await import(pathToFileURL(moduleFile!).href)) as { default: RuleModule }).default;
  const log = new Logger({ level: 'error' });
  const stamp = (request: ActionRequest): string | null => (request.item.name === 'ALERT' ? request.captures[1] ?? 'NaN' : null);
  // Where posix_spawn cannot be used the daemon starts the runtime's own helper (out/runtime/actions/helper-main.js).
  startedBy = posixSpawnAvailable() ? 'posix_spawn' : 'the action helper';
  const noted = (kind: string) => (request: ActionRequest): void => {
    const s = stamp(request);
    if (s !== null) record(kind, s);
  };
  const daemon = createDaemon([module], { log, actions: { onSubmit: noted('submitted'), onSpawn: noted('started') } });
  await daemon.start();
  stop = async () => {
    await daemon.stop({ drainMs: 5000 });
  };
}
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void stop().then(() => process.stdout.write(`${JSON.stringify({ startedBy, latencies })}\n`));
});
