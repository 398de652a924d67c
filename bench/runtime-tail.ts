/**
 * The file tailer alone on a 1.5 M-line backlog of real log lines: bare, and with a checkpoint
 * store in a state directory (saves on open, every 10,000 lines, each fsynced), as the daemon
 * reads with `state` set. Baseline: the bare tailer in the same run. Also the checkpoint saves
 * made, the most lines handled and not yet in a saved checkpoint (what a crash could deliver again).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpointStore, FileTailer, type CheckpointStore } from '../runtime/sources/tail/index.js';
import type { Benchmark } from './bench.js';
import { until, writeResampledLog } from './runtime-common.js';

const LINES = 1_500_000;

async function tailMs(file: string, store: CheckpointStore | null): Promise<number> {
  let lines = 0;
  const tailer = new FileTailer({ path: file, start: 'beginning', fileType: 'file', checkpoint: store }, { lines: (batch) => void (lines += batch.length) });
  const started = process.hrtime.bigint();
  await tailer.start();
  await until(() => lines >= LINES, 120_000, 2);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await tailer.stop();
  return ms;
}

export const tailBench: Benchmark = {
  name: 'runtime-tail',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-tail-'));
    try {
      const file = join(dir, 'bench.log');
      writeResampledLog(file, LINES);
      let saves = 0;
      const counting = (inner: CheckpointStore): CheckpointStore => ({
        load: (path) => inner.load(path),
        save: (path, cp) => {
          saves++;
          return inner.save(path, cp);
        },
      });
      // Alternated, best of 5: the machine is shared; the fastest run is the least disturbed.
      let bare = Infinity;
      let stored = Infinity;
      let savesPerRun = 0;
      for (let run = 0; run < 5; run++) {
        bare = Math.min(bare, await tailMs(file, null));
        saves = 0;
        stored = Math.min(stored, await tailMs(file, counting(createCheckpointStore(join(dir, `state-${run}`)))));
        savesPerRun = Math.max(savesPerRun, saves);
      }
      const rate = (ms: number): number => LINES / (ms / 1000);
      return [
        { name: 'backlog with a checkpoint store', value: rate(stored), unit: 'lines/s', baseline: { name: 'bare tailer', value: rate(bare) } },
        { name: 'checkpoint saves during the backlog (most in a run)', value: savesPerRun, unit: 'saves' },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
