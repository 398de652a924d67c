import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

interface Figures {
  readonly oneItem: { linesPerSec: number; fired: number };
  readonly items200: { linesPerSec: number; fired: number };
  readonly items200Crc: { linesPerSec: number; fired: number };
  readonly items200Rare: { linesPerSec: number; fired: number };
  readonly memory: { baselineRssMb: number; rssMb: number; heapMb: number; keys: number };
}

describe('Engine throughput and memory (child process, bounded to a few seconds)', () => {
  it('keeps 100,000 live keys over 200 items within 120 MB RSS and matches at a useful rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-perf-'));
    try {
      const outfile = join(dir, 'probe.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('./perf-probe.ts', import.meta.url))],
        bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent',
      });
      const out = execFileSync(process.execPath, ['--expose-gc', outfile], { encoding: 'utf8', timeout: 60_000 });
      const figures = JSON.parse(out) as Figures;
      console.log(JSON.stringify(figures, null, 2));
      expect(figures.memory.keys).toBe(100_000);
      expect(figures.memory.rssMb).toBeLessThanOrEqual(120);
      // Loose floors: two shared cores; the report carries the real figures.
      expect(figures.oneItem.linesPerSec).toBeGreaterThan(100_000);
      expect(figures.items200.linesPerSec).toBeGreaterThan(100_000);
      // Every key saw 3 matches under a 5/60 threshold: nothing fires. In the throughput runs, keys do.
      expect(figures.items200.fired).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
