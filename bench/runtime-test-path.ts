/**
 * `rulec test` against the live path on the same 1,000,000-line real-log file at 200 rules.
 * Throughput: the live pipeline (Supervisor: tailer → prefilter → matchers → windows) in this
 * process, best of 3, beside `rulec test` and `rulec test --replay` as a user runs them (a
 * child process each, time on the log = wall time on it minus wall time on an empty log, so the
 * compile at start-up is left out). Memory: the peak RSS of `rulec test --replay` on the log,
 * beside the same command on an empty log (what loading the rules costs).
 * Goals (issue 16 §2): `test` ≥ 0.8× the live path's lines/s; peak RSS ≤ 150 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateRules, type Benchmark, type Figure } from './bench.js';
import { pipelineMs, ruleModule, writeResampledLog } from './runtime-common.js';

const LINES = 1_000_000;
const RULEC = fileURLToPath(new URL('../../bin/rulec.js', import.meta.url));

/** Wall time (ms) and peak RSS (bytes) of one `rulec` run, its output discarded. */
function rulec(args: readonly string[]): { ms: number; rss: number } {
  const started = process.hrtime.bigint();
  // GNU time's %M is the child's peak RSS in KiB; it writes it to stderr after the command's own.
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, RULEC, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`rulec ${args.join(' ')} failed: ${result.stderr}`);
  const kib = Number(result.stderr.trim().split('\n').at(-1));
  return { ms, rss: kib * 1024 };
}

/** Best of `runs` of `rulec test` on the log and on an empty one: time on the log's lines, peak RSS of each. */
function testRuns(runs: number, rules: string, log: string, empty: string, extra: readonly string[]): { ms: number; rss: number; emptyRss: number } {
  let full = Infinity;
  let none = Infinity;
  let rss = 0;
  let emptyRss = 0;
  for (let i = 0; i < runs; i++) {
    const a = rulec(['test', rules, '--log', log, ...extra]);
    const b = rulec(['test', rules, '--log', empty, ...extra]);
    full = Math.min(full, a.ms);
    none = Math.min(none, b.ms);
    rss = Math.max(rss, a.rss);
    emptyRss = Math.max(emptyRss, b.rss);
  }
  return { ms: full - none, rss, emptyRss };
}

export const testPathBench: Benchmark = {
  name: 'runtime-test-path',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-test-'));
    try {
      const log = join(dir, 'bench.log');
      writeResampledLog(log, LINES);
      const empty = join(dir, 'empty.log');
      writeFileSync(empty, '');
      const text = `[general]\nstart = beginning\n\n${templateRules(200, log)}`;
      const module = await ruleModule(dir, 'many.rules', text);
      const rules = join(dir, 'many.rules');
      let live = Infinity;
      for (let i = 0; i < 3; i++) live = Math.min(live, await pipelineMs(module, LINES));
      const plain = testRuns(2, rules, log, empty, []);
      const replay = testRuns(2, rules, log, empty, ['--replay']);
      const rate = (ms: number): number => LINES / (ms / 1000);
      const mb = (bytes: number): number => bytes / (1024 * 1024);
      const liveBaseline = { name: 'live pipeline, 200 rules, same file', value: rate(live) };
      const figures: Figure[] = [
        { name: `rulec test, 200 rules, ${LINES.toLocaleString('en-US')} lines`, value: rate(plain.ms), unit: 'lines/s', goal: '≥ 0.8x the live path', baseline: liveBaseline },
        { name: 'rulec test --replay, 200 rules', value: rate(replay.ms), unit: 'lines/s', goal: '≥ 0.8x the live path', baseline: liveBaseline },
        { name: `peak RSS of rulec test --replay on ${LINES.toLocaleString('en-US')} lines`, value: mb(replay.rss), unit: 'MB', goal: '≤ 150 MB', baseline: { name: 'the same on an empty log', value: mb(replay.emptyRss) } },
      ];
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
