/**
 * Start-up and memory of `rulec run FILE.rules` (issue 16 §3), each as an operator runs it, in a
 * fresh process, best of 3: ready (the "running N item(s)" line) at 1, 200 and 1,000 rules with
 * an empty compile cache and with the entry cached, beside a built bundle.mjs of the same rules;
 * the daemon's peak RSS at 200 rules and no keys, beside the bundle, swatch (Debian's swatchdog)
 * and SEC when installed; `rulec build` and `rulec test` on an empty log at 200 rules, beside a
 * bare node process.
 * Goals: ready ≤ 0.4 s at 200 rules on a cache hit, ≤ 1.5 s at 1,000 rules cold; RSS ≤ 100 MB;
 * `rulec build` of 200 rules ≤ 2 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../compiler/pipeline.js';
import { packageRoot } from '../compiler/manifest.js';
import { logTemplates, templateRegex, templateRules, type Benchmark, type Figure } from './bench.js';

const SIZES = [1, 200, 1000] as const;
const RUNS = 3;

/** How long until a process prints `ready`, and its peak RSS then (MB); it is stopped after. */
function startUntil(argv: readonly string[], ready: RegExp, env: NodeJS.ProcessEnv, cwd: string): Promise<{ ms: number; mb: number }> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let result: { ms: number; mb: number } | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const seen = (text: string): void => {
      out += text;
      if (result !== null || !ready.test(out)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const hwm = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      result = { ms, mb: hwm / 1024 };
      child.kill('SIGTERM');
    };
    child.stdout.setEncoding('utf8').on('data', seen);
    child.stderr.setEncoding('utf8').on('data', seen);
    child.on('close', () => {
      clearTimeout(timer);
      if (result === null) fail(new Error(`${argv.join(' ')} never became ready:\n${out.slice(0, 2000)}`));
      else done(result);
    });
  });
}

async function best(runs: number, once: () => Promise<{ ms: number; mb: number }>): Promise<{ ms: number; mb: number }> {
  const got: { ms: number; mb: number }[] = [];
  for (let i = 0; i < runs; i++) got.push(await once());
  return { ms: Math.min(...got.map((g) => g.ms)), mb: Math.min(...got.map((g) => g.mb)) };
}

function wallMs(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

export const startupBench: Benchmark = {
  name: 'runtime-startup',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-startup-'));
    try {
      const bin = join(packageRoot(), 'bin/rulec.js');
      const log = join(dir, 'app.log');
      writeFileSync(log, '');
      const cache = join(dir, 'cache');
      const env = { XDG_CACHE_HOME: cache };
      const figures: Figure[] = [];
      const ready = /running \d+ item\(s\)/;
      const bundles = new Map<number, { ms: number; mb: number }>();
      let rulec = { name: '`rulec run`, 200 rules, compile cached', value: 0 };
      for (const n of SIZES) {
        const rules = join(dir, `r${n}.rules`);
        writeFileSync(rules, templateRules(n, log));
        const built = await build(rules, join(dir, `dist${n}`));
        if (built.written.length === 0) throw new Error(`the ${n}-rule file does not build`);
        const bundle = await best(RUNS, () => startUntil([process.execPath, join(dir, `dist${n}`, 'bundle.mjs'), '-s'], ready, {}, dir));
        bundles.set(n, bundle);
        const baseline = { name: `bundle.mjs of the same rules`, value: bundle.ms };
        const cold = await best(RUNS, () => {
          rmSync(cache, { recursive: true, force: true });
          return startUntil([process.execPath, bin, 'run', rules, '-s'], ready, env, dir);
        });
        figures.push({ name: `\`rulec run\` ready, ${n} rule(s), empty compile cache`, value: cold.ms, unit: 'ms', ...(n === 1000 ? { goal: '≤ 1500 ms' } : {}), baseline });
        const hit = await best(RUNS, () => startUntil([process.execPath, bin, 'run', rules, '-s'], ready, env, dir));
        figures.push({ name: `\`rulec run\` ready, ${n} rule(s), compile cached`, value: hit.ms, unit: 'ms', ...(n === 200 ? { goal: '≤ 400 ms' } : {}), baseline });
        if (n === 200) {
          rulec = { ...rulec, value: hit.mb };
          figures.push({ name: '`rulec run` peak RSS, 200 rules, no keys, compile cached', value: hit.mb, unit: 'MB', goal: '≤ 100 MB', baseline: { name: 'bundle.mjs', value: bundle.mb } });
          figures.push({ name: '`rulec run` peak RSS, 200 rules, no keys, compiled in its child process', value: cold.mb, unit: 'MB', goal: '≤ 100 MB', baseline: { name: 'bundle.mjs', value: bundle.mb } });
        }
      }
      const r200 = join(dir, 'r200.rules');
      const templates = logTemplates();
      const patterns = Array.from({ length: 200 }, (_, i) => templateRegex(templates[i % templates.length]!).regex);
      if (installed('swatchdog')) {
        // swatch pastes the pattern into Perl source: '/' and '@' must be escaped there.
        writeFileSync(join(dir, 'swatch.conf'), patterns.map((p) => `watchfor /${p.replace(/[/@]/g, '\\$&')}/\n  exec /bin/true\n`).join('\n'));
        const swatch = await best(RUNS, () => startUntil(['swatchdog', `--config-file=${join(dir, 'swatch.conf')}`, `--tail-file=${log}`, `--script-dir=${dir}`], /started at/, {}, dir));
        figures.push({ name: 'swatch (swatchdog) peak RSS, 200 rules', value: swatch.mb, unit: 'MB', baseline: rulec });
        figures.push({ name: 'swatch (swatchdog) ready, 200 rules', value: swatch.ms, unit: 'ms', baseline: { name: 'bundle.mjs', value: bundles.get(200)!.ms } });
      }
      if (installed('sec')) {
        writeFileSync(join(dir, 'sec.conf'), patterns.map((p, i) => `type=Single\nptype=RegExp\npattern=${p}\ndesc=R${i}\naction=none\n`).join('\n'));
        const sec = await best(RUNS, () => startUntil(['sec', `--conf=${join(dir, 'sec.conf')}`, `--input=${log}`, '--log=-'], /Opening input file/, {}, dir));
        figures.push({ name: 'SEC peak RSS, 200 rules', value: sec.mb, unit: 'MB', baseline: rulec });
      }
      const nodeMs = Math.min(...Array.from({ length: RUNS }, () => wallMs([process.execPath, '-e', '0'], {})));
      const bare = { name: 'start and exit a bare node process', value: nodeMs };
      const buildMs = Math.min(...Array.from({ length: RUNS }, () => wallMs([process.execPath, bin, 'build', r200, '-o', join(dir, 'cli-dist')], env)));
      figures.push({ name: '`rulec build` in a fresh process, 200 rules', value: buildMs, unit: 'ms', goal: '≤ 2000 ms', baseline: bare });
      const empty = join(dir, 'empty.log');
      writeFileSync(empty, '');
      const testCold = Math.min(...Array.from({ length: RUNS }, () => {
        rmSync(cache, { recursive: true, force: true });
        return wallMs([process.execPath, bin, 'test', r200, '--log', empty], env);
      }));
      const testHit = Math.min(...Array.from({ length: RUNS }, () => wallMs([process.execPath, bin, 'test', r200, '--log', empty], env)));
      figures.push({ name: '`rulec test` on an empty log, 200 rules, empty compile cache', value: testCold, unit: 'ms', baseline: bare });
      figures.push({ name: '`rulec test` on an empty log, 200 rules, compile cached', value: testHit, unit: 'ms', baseline: bare });
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
