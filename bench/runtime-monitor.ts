/**
 * Monitor digest throughput: a tree of 10,000 files (sizes from 0 to 64 KiB, ~320 MB) listed
 * with MD5 digests as a report does, beside `md5sum` over the same files (`find -print0 |
 * xargs -0 md5sum`), in the same run, each once after a warm-up read, so both read from the
 * page cache. Wall time and CPU time (this process's; the pipeline's children's, as bash's
 * `times` counts them): a shared machine makes wall time depend on the neighbours.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMonitor } from '../runtime/sources/monitor/monitor-block.js';
import type { Benchmark, Figure } from './bench.js';

const FILES = 10_000;

function makeTree(root: string): number {
  let bytes = 0;
  let seed = 12345;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const block = Buffer.alloc(64 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 7919) & 0xff;
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, `d${i % 100}`, `e${i % 7}`);
    if (i < 700) mkdirSync(dir, { recursive: true });
    const size = Math.floor(random() ** 2 * block.length);
    writeFileSync(join(dir, `f${i}`), block.subarray(0, size));
    bytes += size;
  }
  return bytes;
}

export const monitorBench: Benchmark = {
  name: 'runtime-monitor',
  async run(): Promise<Figure[]> {
    const root = mkdtempSync(join(tmpdir(), 'rulec-bench-monitor-'));
    try {
      const bytes = makeTree(root);
      const md5sum = (): { wall: number; cpu: number } => {
        const started = process.hrtime.bigint();
        const out = spawnSync('bash', ['-c', 'find "$1" -type f -print0 | xargs -0 md5sum > /dev/null; times', 'md5sum', root], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`md5sum failed: ${out.stderr}`);
        const wall = Number(process.hrtime.bigint() - started) / 1e9;
        const children = out.stdout.trim().split('\n').at(-1) ?? '';
        const cpu = children.split(' ').reduce((sum, time) => {
          const m = /^(\d+)m([\d.]+)s$/.exec(time);
          return m === null ? sum : sum + Number(m[1]) * 60 + Number(m[2]);
        }, 0);
        return { wall, cpu };
      };
      const monitor = (): { wall: number; cpu: number } => {
        const started = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        const stats = runMonitor({ dirs: [root], digest: 'md5', crossFilesystems: false }, { print: () => undefined });
        const used = process.cpuUsage(cpu);
        if (stats.files !== FILES) throw new Error(`listed ${stats.files} files`);
        return { wall: Number(process.hrtime.bigint() - started) / 1e9, cpu: (used.user + used.system) / 1e6 };
      };
      md5sum();
      monitor();
      const base = md5sum();
      const ours = monitor();
      console.log(`runtime-monitor: ${FILES} files, ${(bytes / 1e6).toFixed(0)} MB`);
      return [
        {
          name: 'monitor MD5 listing, files per second (wall)',
          value: FILES / ours.wall,
          unit: 'files/s',
          baseline: { name: 'find | xargs md5sum, wall', value: FILES / base.wall },
          goal: '>= 0.8x md5sum',
        },
        {
          name: 'monitor MD5 listing, files per CPU second',
          value: FILES / ours.cpu,
          unit: 'files/s',
          baseline: { name: 'find | xargs md5sum, CPU', value: FILES / base.cpu },
          goal: '>= 0.8x md5sum',
        },
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
