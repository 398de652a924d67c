import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

interface Memory {
  readonly baselineRssMb: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly keys: number;
}

describe('Engine memory (child process)', () => {
  it('keeps 100,000 live keys over 200 items within 120 MB RSS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-memory-'));
    try {
      const outfile = join(dir, 'probe.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('./memory-probe.ts', import.meta.url))],
        bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent',
      });
      const out = execFileSync(process.execPath, ['--expose-gc', outfile], { encoding: 'utf8', timeout: 60_000 });
      const memory = JSON.parse(out) as Memory;
      expect(memory.keys).toBe(100_000);
      // The goal; bench/runtime-memory measures it through the whole pipeline.
      expect(memory.rssMb, JSON.stringify(memory)).toBeLessThanOrEqual(120);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
