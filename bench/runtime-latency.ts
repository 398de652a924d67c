/**
 * Append-to-action latency at 5,000 lines/s: a writer process appends real-log lines (one in
 * ten an `ALERT <epoch ms>` line) while the live pipeline runs 200 rules plus an alert rule
 * that fires on every match; latency is the time from the write to the engine submitting the
 * action to the queue. Baseline: the same writer, append to delivery by a bare tailer.
 * Goal: p99 ≤ 10 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClock } from '../runtime/clock/clock.js';
import { Supervisor } from '../runtime/daemon/supervisor.js';
import { Logger } from '../runtime/log/logger.js';
import { FileTailer } from '../runtime/sources/tail/index.js';
import { corpusLines, templateRules, type Benchmark } from './bench.js';
import { CountingSink, ruleModule } from './runtime-common.js';

const RATE = 5_000;
const SECONDS = 4;
const BATCH_MS = 2;

/**
 * Wall time in ms with microsecond resolution, comparable across processes: each process's
 * `performance.timeOrigin` may be off by up to a millisecond, so it is calibrated against the
 * moments `Date.now()` ticks over to a new millisecond (then the wall time is exactly that
 * value). The writer process runs this same function (its source is passed along).
 */
function calibratedClock(): () => number {
  const hr = (): number => performance.timeOrigin + performance.now();
  let sum = 0;
  const ticks = 30;
  for (let i = 0; i < ticks; i++) {
    const from = Date.now();
    let now = from;
    let at = hr();
    while (now === from) {
      at = hr();
      now = Date.now();
    }
    sum += now - at;
  }
  const offset = sum / ticks;
  return () => hr() + offset;
}

/** The writer: appends RATE lines/s (due lines computed from elapsed time), every tenth an ALERT stamped with its write time. */
const WRITER = `const wallNow = (${calibratedClock.toString()})();
const { appendFileSync } = require('node:fs');
const [file, poolFile, rate, seconds, batchMs] = process.argv.slice(1);
const pool = require(poolFile);
const started = Date.now();
let n = 0;
const tick = () => {
  const elapsed = Math.min(Date.now() - started, Number(seconds) * 1000);
  const due = Math.floor(elapsed * Number(rate) / 1000);
  const lines = [];
  for (; n < due; n++) lines.push(n % 10 === 0 ? 'ALERT ' + wallNow().toFixed(3) : pool[n % pool.length]);
  if (lines.length > 0) appendFileSync(file, lines.join('\\n') + '\\n');
  if (elapsed < Number(seconds) * 1000) setTimeout(tick, Number(batchMs)); else process.exit(0);
};
tick();
`;

function runWriter(file: string, poolFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WRITER, file, poolFile, String(RATE), String(SECONDS), String(BATCH_MS)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

const wallNow = calibratedClock();

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Latencies (ms) of ALERT lines seen by `observe` while the writer runs. */
async function measure(file: string, poolFile: string, start: (record: (stamp: string) => void) => Promise<() => Promise<void>>): Promise<number[]> {
  writeFileSync(file, '');
  const latencies: number[] = [];
  const stop = await start((stamp) => latencies.push(wallNow() - Number(stamp)));
  await runWriter(file, poolFile);
  await new Promise((r) => setTimeout(r, 200));
  await stop();
  return latencies.sort((a, b) => a - b);
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
      const module = await ruleModule(dir, 'live.rules', alert + templateRules(200, file));

      const bare = await measure(file, poolFile, async (record) => {
        const tailer = new FileTailer({ path: file, start: 'end', fileType: 'file' }, {
          lines: (lines) => {
            for (const line of lines) if (line.startsWith('ALERT ')) record(line.slice(6));
          },
        });
        await tailer.start();
        return () => tailer.stop();
      });
      const piped = await measure(file, poolFile, async (record) => {
        const sink = new CountingSink((request) => {
          if (request.item.name === 'ALERT') record(request.captures[1] ?? 'NaN');
        });
        const supervisor = new Supervisor({ clock: new LiveClock(), actions: sink, log: new Logger({ level: 'error' }) });
        await supervisor.start([module]);
        return () => supervisor.stop();
      });
      const expected = Math.floor((RATE * SECONDS) / 10);
      const figures = (name: string, values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99), name, n: values.length });
      const b = figures('bare tailer', bare);
      const p = figures('pipeline', piped);
      return [
        { name: `append to action submit p50 (${p.n} of ~${expected} alerts, 201 rules)`, value: p.p50, unit: 'ms', baseline: { name: 'append to bare tailer delivery p50', value: b.p50 } },
        { name: 'append to action submit p99', value: p.p99, unit: 'ms', goal: '≤ 10 ms', baseline: { name: 'append to bare tailer delivery p99', value: b.p99 } },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
