/** Shared pieces of the runtime benchmarks: a resampled real log, rule modules, a counting sink. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionRequest, ActionSink } from '../runtime/actions/action-sink.js';
import { LiveClock } from '../runtime/clock/clock.js';
import type { RuleModule } from '../runtime/contract.js';
import { Supervisor } from '../runtime/daemon/supervisor.js';
import { Logger } from '../runtime/log/logger.js';
import { loadRuleFile } from '../cli/load-rules.js';
import { corpusLines } from './bench.js';
import { seededRandom } from '../compiler/seeded-random.js';

/** The real logs lines are drawn from. */
const SOURCES = [
  'elastic/auth.log',
  'loghub/OpenSSH_2k.log',
  'loghub/Linux_2k.log',
  'loghub/Apache_2k.log',
  'loghub/Thunderbird_2k.log',
  'loghub/BGL_2k.log',
  'loghub/HPC_2k.log',
  'loghub/Mac_2k.log',
  'loghub/Proxifier_2k.log',
];

/** Writes `count` lines drawn at random from real corpus logs (`sources`, default all) to `file`; returns its size in bytes. */
export function writeResampledLog(file: string, count: number, seed = 1, sources: readonly string[] = SOURCES): number {
  const pool = sources.flatMap((name) => corpusLines(name));
  const next = seededRandom(seed);
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    const chunk: string[] = [];
    for (let i = 0; i < count; i++) {
      chunk.push(pool[Math.floor(next() * pool.length)]!);
      if (chunk.length === 10_000 || i === count - 1) {
        const text = `${chunk.join('\n')}\n`;
        bytes += writeSync(fd, text);
        chunk.length = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Compiles rule text (written to `dir/name`) and imports the module, as `rulec run` does. */
export async function ruleModule(dir: string, name: string, text: string): Promise<RuleModule> {
  const file = join(dir, name);
  writeFileSync(file, text);
  // Compiled as rulec run compiles it, with a cache of its own in the benchmark's directory (cold).
  const io = { cwd: process.cwd(), env: { ...process.env, XDG_CACHE_HOME: dir }, err: (text: string) => void process.stderr.write(text) };
  const loaded = await loadRuleFile(file, io);
  if (loaded.module === null) throw new Error(`benchmark rules do not compile:\n${loaded.report}`);
  return loaded.module;
}

/** An ActionSink that counts fired actions and lets a benchmark look at each one. */
export class CountingSink implements ActionSink {
  submitted = 0;
  constructor(private readonly onSubmit: (request: ActionRequest) => void = () => {}) {}
  submit(request: ActionRequest): void {
    this.submitted++;
    this.onSubmit(request);
  }
}

/** Resolves once `check` is true (polled every `everyMs`) or rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, everyMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`benchmark condition not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Milliseconds the live pipeline (Supervisor, a real tailer) takes to read the first `lines` lines of `module`'s file. */
export async function pipelineMs(module: RuleModule, lines: number): Promise<number> {
  const supervisor = new Supervisor({ clock: new LiveClock(), actions: new CountingSink(), log: new Logger({ level: 'error' }) });
  const started = process.hrtime.bigint();
  await supervisor.start([module]);
  await until(() => supervisor.stats().linesRead >= lines, 120_000, 2);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await supervisor.stop();
  return ms;
}
