/**
 * The measuring half of runtime-latency, run as its own process so that, as under `rulec run
 * BUNDLE`, only the runtime and the compiled module are loaded (a process holding the compiler
 * is four times larger, and fork() for each action costs with the size). Argv: MODE FILE
 * [MODULE.mjs]. MODE `bare`: a bare tailer notes when each `ALERT <stamp>` line is delivered;
 * `pipeline`: the supervisor and a real ActionRunner note when the ALERT item's action is
 * submitted and when its child process has started. As under `rulec run`, actions start by
 * posix_spawn from this process where it can (the start is noted when posix_spawn returns,
 * after the exec), else from the action helper (noted when the helper's report arrives, so it
 * includes that hop). Prints `ready` once following; when stdin ends it stops and prints
 * `{ startedBy, latencies: { kind: latencies in ms } }` as JSON.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { actionHelperIfNeeded } from '../runtime/actions/action-helper.js';
import { ActionRunner } from '../runtime/actions/action-runner.js';
import type { ActionRequest, ActionSink } from '../runtime/actions/action-sink.js';
import { LiveClock } from '../runtime/clock/clock.js';
import type { RuleModule } from '../runtime/contract.js';
import { Supervisor } from '../runtime/daemon/supervisor.js';
import { Logger } from '../runtime/log/logger.js';
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
  // As `rulec run` does (runtime/daemon/main.ts).
  const helper = actionHelperIfNeeded(fileURLToPath(new URL('../../bin/rulec.js', import.meta.url)));
  startedBy = helper === undefined ? 'posix_spawn' : 'the action helper';
  const runner = new ActionRunner(log, {
    threads: module.engine.actionThreads,
    helper,
    onSpawn: (request) => {
      const s = stamp(request);
      if (s !== null) record('started', s);
    },
  });
  // Submit time is taken on the way into the real queue.
  const sink: ActionSink = {
    submit: (request) => {
      const s = stamp(request);
      if (s !== null) record('submitted', s);
      runner.submit(request);
    },
  };
  const supervisor = new Supervisor({ clock: new LiveClock(), actions: sink, log });
  await supervisor.start([module]);
  stop = async () => {
    await supervisor.stop();
    await runner.drain(5000);
    runner.close();
  };
}
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void stop().then(() => process.stdout.write(`${JSON.stringify({ startedBy, latencies })}\n`));
});
