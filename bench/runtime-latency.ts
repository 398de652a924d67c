/**
 * Append-to-action latency at 5,000 lines/s: a writer process appends real-log lines (one in
 * a hundred an `ALERT <ms>` line stamped on the system-wide monotonic clock) while the live pipeline, in a runtime-only child
 * process (runtime-latency-child.ts), runs 200 rules (matching and counting, below their
 * thresholds) plus an alert rule that fires on every match (`/bin/true "$1"`, run by the real
 * ActionRunner). Latency is the time from the write to the action's child process starting
 * (its `spawn` event, or the return of posix_spawn: both come after the exec) and, in the same
 * run, to the engine submitting it to the queue.
 * Baseline: the same writer, append to delivery by a bare tailer. Goal: p99 to start ≤ 10 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileToJs } from '../compiler/pipeline.js';
import { corpusLines, templateRules, type Benchmark } from './bench.js';
import { monotonicClock } from './wall-clock.js';

const RATE = 5_000;
const SECONDS = 10;
const BATCH_MS = 2;
/** One line in ALERT_EVERY is an alert: a realistic share of lines that fire. */
const ALERT_EVERY = 100;

/** The writer: appends RATE lines/s (due lines computed from elapsed time), one in ALERT_EVERY an ALERT stamped with its write time. */
const WRITER = `const monotonicMs = (${monotonicClock.toString()})();
const { appendFileSync } = require('node:fs');
const [file, poolFile, rate, seconds, batchMs, every] = process.argv.slice(1);
const pool = require(poolFile);
const started = Date.now();
let n = 0;
const tick = () => {
  const elapsed = Math.min(Date.now() - started, Number(seconds) * 1000);
  const due = Math.floor(elapsed * Number(rate) / 1000);
  const lines = [];
  for (; n < due; n++) lines.push(n % Number(every) === 0 ? 'ALERT ' + monotonicMs().toFixed(3) : pool[n % pool.length]);
  if (lines.length > 0) appendFileSync(file, lines.join('\\n') + '\\n');
  if (elapsed < Number(seconds) * 1000) setTimeout(tick, Number(batchMs)); else process.exit(0);
};
tick();
`;

function runWriter(file: string, poolFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WRITER, file, poolFile, String(RATE), String(SECONDS), String(BATCH_MS), String(ALERT_EVERY)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** What the measuring child reports: who started its actions, and its latencies (ms, sorted) by kind. */
interface Measured {
  readonly startedBy: string;
  readonly latencies: Map<string, number[]>;
}

/** Runs the measuring child in `mode` while the writer appends. */
async function measure(mode: 'bare' | 'pipeline', file: string, poolFile: string, moduleFile: string): Promise<Measured> {
  writeFileSync(file, '');
  const childFile = fileURLToPath(new URL('./runtime-latency-child.js', import.meta.url));
  const child = spawn(process.execPath, [childFile, mode, file, moduleFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (text: string) => {
      out += text;
      if (out.startsWith('ready\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`latency child exited ${String(code)}: ${out}`)));
  });
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const limit = setTimeout(() => child.kill('SIGKILL'), (SECONDS + 30) * 1000);
  try {
    await ready;
    await runWriter(file, poolFile);
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.end();
    await done;
  } finally {
    clearTimeout(limit);
  }
  const parsed = JSON.parse(out.slice('ready\n'.length)) as { startedBy: string; latencies: Record<string, number[]> };
  return {
    startedBy: parsed.startedBy,
    latencies: new Map(Object.entries(parsed.latencies).map(([kind, list]) => [kind, list.sort((a, b) => a - b)])),
  };
}

export const latencyBench: Benchmark = {
  name: 'runtime-latency',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-lat-'));
    try {
      const file = join(dir, 'live.log');
      const poolFile = join(dir, 'pool.json');
      writeFileSync(poolFile, JSON.stringify(corpusLines('elastic/auth.log').concat(corpusLines('loghub/Linux_2k.log'))));
      const alert = `[ALERT]\npath = ${file}\nregex = ^ALERT (\\d+\\.\\d+)$\nupbound_action = /bin/true "$1"\n\n`;
      // The 200 template rules match and count as usual but cannot reach 10,000 matches in a
      // second at 5,000 lines/s: only the alert rule starts processes (1 line in ALERT_EVERY).
      const rulesFile = join(dir, 'live.rules');
      writeFileSync(rulesFile, alert + templateRules(200, file, '10000/1'));
      const compiled = compileToJs(rulesFile);
      if (compiled.js === null) throw new Error('latency benchmark rules do not compile');

      const moduleFile = join(dir, 'live.mjs');
      writeFileSync(moduleFile, compiled.js);
      const bare = await measure('bare', file, poolFile, moduleFile);
      const piped = await measure('pipeline', file, poolFile, moduleFile);
      const expected = Math.floor((RATE * SECONDS) / ALERT_EVERY);
      const figures = (values: readonly number[] = []) => ({ p50: percentile(values, 50), p99: percentile(values, 99), n: values.length });
      const b = figures(bare.latencies.get('delivered'));
      const started = figures(piped.latencies.get('started'));
      const submitted = figures(piped.latencies.get('submitted'));
      const p50Base = { name: 'append to bare tailer delivery p50', value: b.p50 };
      const p99Base = { name: 'append to bare tailer delivery p99', value: b.p99 };
      return [
        { name: `append to action start (child spawned by ${piped.startedBy}) p50 (${started.n} of ~${expected} alerts, 201 rules)`, value: started.p50, unit: 'ms', baseline: p50Base },
        { name: 'append to action start (child spawned) p99', value: started.p99, unit: 'ms', goal: '≤ 10 ms', baseline: p99Base },
        { name: `append to action submit p50 (${submitted.n} alerts)`, value: submitted.p50, unit: 'ms', baseline: p50Base },
        { name: 'append to action submit p99', value: submitted.p99, unit: 'ms', baseline: p99Base },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
