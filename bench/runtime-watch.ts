/**
 * `watch` with Debian's logcheck server lists over 1 M syslog lines (the corpus's Linux log
 * repeated), beside logcheck's own filter, `grep -E -v -f` with the same cleaned lists in the C
 * locale after its `sed` that strips trailing blanks (the lists are written for that), on the
 * same file in the same run; the two keep the same lines (test/runtime/sources/watch/logcheck.test.ts).
 * The watch figure is one whole pass as a report runs it: lists read and compiled, the file
 * streamed, every line judged, unusual lines escaped. Each is measured in wall time and in CPU
 * time (this process's; the pipeline's children's, as bash's `times` counts them), since a
 * shared machine makes wall time depend on the neighbours.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIgnoreLists } from '../runtime/sources/watch/ignore-lists.js';
import { LineJudge } from '../runtime/sources/watch/line-judge.js';
import { scanWatch } from '../runtime/sources/watch/watch-scan.js';
import { corpusPath, type Benchmark, type Figure } from './bench.js';

const SERVER = '/etc/logcheck/ignore.d.server';
const LINES = 1_000_000;

/** The corpus's Linux log repeated to `LINES` lines. */
function bigLog(dir: string): string {
  const lines = readFileSync(corpusPath('loghub/full/Linux.log'), 'utf8').split('\n').filter((l) => l.length > 0);
  const out: string[] = [];
  for (let i = 0; out.length < LINES; i++) out.push(lines[i % lines.length]!);
  const file = join(dir, 'syslog');
  writeFileSync(file, `${out.join('\n')}\n`);
  return file;
}

export const watchBench: Benchmark = {
  name: 'runtime-watch',
  async run(): Promise<Figure[]> {
    if (!existsSync(SERVER)) {
      console.log('runtime-watch: skipped, no /etc/logcheck (apt-get install logcheck-database)');
      return [];
    }
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-watch-'));
    try {
      const log = bigLog(dir);
      const files = execFileSync('run-parts', ['--list', SERVER], { encoding: 'utf8' }).trim().split('\n');
      const cleaned = join(dir, 'cleaned');
      writeFileSync(cleaned, files.map((f) => readFileSync(f, 'utf8').split('\n').filter((l) => !/^[\t\n\v\f\r ]*$|^#/.test(l)).join('\n')).join('\n') + '\n');

      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const judge = new LineJudge([], [], readIgnoreLists([SERVER]));
      let reported = 0;
      const result = await scanWatch({ logfile: log, trim: false }, judge, null, (t) => void (reported += t.length), { maxReportBytes: Infinity });
      const used = process.cpuUsage(cpu);
      const watchSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const watchCpu = (used.user + used.system) / 1e6;

      // Again in this process, as a daemon's digests run after their first period: the lists
      // compiled already (kept while unchanged), the code warm.
      const againStarted = process.hrtime.bigint();
      const againCpu = process.cpuUsage();
      const again = await scanWatch({ logfile: log, trim: false }, new LineJudge([], [], readIgnoreLists([SERVER])), null, () => undefined, { maxReportBytes: Infinity });
      const againUsed = process.cpuUsage(againCpu);
      const againSeconds = Number(process.hrtime.bigint() - againStarted) / 1e9;

      const grepStarted = process.hrtime.bigint();
      // `times` prints the children's user and system time last: the pipeline's CPU time.
      const script = 'sed -e "s/[[:space:]]\\+$//" "$2" | grep -E --text -v -f "$1" | wc -l; times';
      const grep = spawnSync('bash', ['-c', script, 'grep', cleaned, log], { env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8' });
      const grepSeconds = Number(process.hrtime.bigint() - grepStarted) / 1e9;
      const [kept, , children] = grep.stdout.trim().split('\n');
      const grepKept = Number(kept);
      const grepCpu = (children ?? '').split(' ').reduce((sum, time) => {
        const m = /^(\d+)m([\d.]+)s$/.exec(time);
        return m === null ? sum : sum + Number(m[1]) * 60 + Number(m[2]);
      }, 0);
      console.log(`runtime-watch: ${judge.size} patterns; watch reported ${result.reported} of ${result.lines} lines (${reported} bytes), grep kept ${grepKept}`);
      const goal = '>= 1,000,000 lines/s and >= 10x grep';
      return [
        { name: 'watch, logcheck server lists, lines per second (wall)', value: result.lines / watchSeconds, unit: 'lines/s', baseline: { name: 'logcheck: sed | grep -E -v -f (LC_ALL=C), wall', value: LINES / grepSeconds }, goal },
        { name: 'watch, logcheck server lists, lines per CPU second', value: result.lines / watchCpu, unit: 'lines/s', baseline: { name: 'logcheck: sed | grep -E -v -f (LC_ALL=C), CPU', value: LINES / grepCpu }, goal },
        { name: 'watch again in the same process (a digest after its first period), lines per second (wall)', value: again.lines / againSeconds, unit: 'lines/s', baseline: { name: 'logcheck pipeline, wall', value: LINES / grepSeconds }, goal },
        { name: 'watch again in the same process, lines per CPU second', value: again.lines / ((againUsed.user + againUsed.system) / 1e6), unit: 'lines/s', baseline: { name: 'logcheck pipeline, CPU', value: LINES / grepCpu }, goal },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
