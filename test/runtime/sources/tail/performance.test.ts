import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTailer } from '../../../../runtime/sources/tail/file-tailer.js';
import { collectingTailer, numberedText, percentile, scratchDirs, startWriter, tally, waitFor } from './helpers.js';

const tempDir = scratchDirs();

describe('FileTailer performance and fidelity', () => {
  it('delivers appends within a few ms at 5,000 lines/s (p99 bound loose for a shared 2-core machine)', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file' });
    const writer = startWriter(path, 0, 10_000, 5000);
    await writer.done;
    await waitFor(() => got.numbers.length >= 10_000, 3000);
    await tailer.stop();

    expect(tally(got.numbers, 0, 10_000)).toEqual({ missing: [], duplicated: [] });
    const p50 = percentile(got.latenciesMs, 50);
    const p99 = percentile(got.latenciesMs, 99);
    console.log(`append-to-delivery at 5,000 lines/s: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, min ${Math.min(...got.latenciesMs).toFixed(3)} ms, max ${Math.max(...got.latenciesMs).toFixed(2)} ms (cross-process clocks)`);
    expect(p50).toBeLessThan(10);
    expect(p99).toBeLessThan(50);
  });

  it('reads a 200,000-line backlog from the beginning quickly and exactly', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.log');
    writeFileSync(path, numberedText(0, 200_000));
    let count = 0;
    let done = (): void => undefined;
    const finished = new Promise<void>((r) => (done = r));
    const numbers: number[] = [];
    const t0 = performance.now();
    const tailer = new FileTailer(
      { path, start: 'beginning', fileType: 'file' },
      {
        lines(lines) {
          for (const l of lines) numbers.push(Number(l.slice(5, 12)));
          count += lines.length;
          if (count >= 200_000) done();
        },
      },
    );
    await tailer.start();
    await Promise.race([finished, new Promise((r) => setTimeout(r, 10_000))]);
    const seconds = (performance.now() - t0) / 1000;
    await tailer.stop();
    console.log(`backlog: ${(200_000 / seconds).toFixed(0)} lines/s (${((200_000 * 100) / 1e6 / seconds).toFixed(1)} MB/s)`);
    expect(tally(numbers, 0, 200_000)).toEqual({ missing: [], duplicated: [] });
    expect(200_000 / seconds).toBeGreaterThan(50_000);
  });

  it('splits a real log (loghub Linux) exactly as an in-memory split does, holding its unterminated last line', async () => {
    const corpus = join(import.meta.dirname, '../../../../../shared/corpus/loghub/full/Linux.log');
    const expected = readFileSync(corpus).toString('utf8').split('\n');
    // The last element is '' after a final newline, or a partial line the tailer must hold.
    expected.pop();
    const seen: string[] = [];
    const tailer = new FileTailer(
      { path: corpus, start: 'beginning', fileType: 'file' },
      { lines: (lines) => seen.push(...lines) },
    );
    await tailer.start();
    await waitFor(() => seen.length >= expected.length, 5000);
    await tailer.stop();
    expect(seen.length).toBe(expected.length);
    expect(seen).toEqual(expected.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
  });
});
