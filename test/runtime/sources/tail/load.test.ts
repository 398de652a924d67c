import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTailer } from '../../../../runtime/sources/tail/file-tailer.js';
import { collectingTailer, numberedText, percentile, scratchDirs, startWriter, tally, waitFor } from './helpers.js';

const tempDir = scratchDirs();

// Speed is measured by bench/ (runtime-latency, runtime-throughput); these check what arrives.
describe('FileTailer under load', () => {
  it('delivers every line of a writer appending at 5,000 lines/s exactly once, on watch events rather than the poll', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    // The first poll comes after a minute: every line arriving within the 20 s wait came through
    // watch events, however busy the machine.
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', pollInterval: 60_000 });
    const writer = startWriter(path, 0, 10_000, 5000);
    await writer.done;
    expect(await waitFor(() => got.numbers.length >= 10_000, 20_000)).toBe(true);
    await tailer.stop();

    expect(tally(got.numbers, 0, 10_000)).toEqual({ missing: [], duplicated: [] });
    console.info(`5,000 lines/s: p99 latency ${percentile(got.latenciesMs, 99).toFixed(1)} ms (reported, not asserted)`);
  });

  it('reads a 200,000-line backlog from the beginning exactly', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.log');
    writeFileSync(path, numberedText(0, 200_000));
    let count = 0;
    let done = (): void => undefined;
    const finished = new Promise<void>((r) => (done = r));
    const numbers: number[] = [];
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
    await Promise.race([finished, new Promise((r) => setTimeout(r, 20_000))]);
    await tailer.stop();
    expect(tally(numbers, 0, 200_000)).toEqual({ missing: [], duplicated: [] });
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
    await waitFor(() => seen.length >= expected.length, 20_000);
    await tailer.stop();
    expect(seen.length).toBe(expected.length);
    expect(seen).toEqual(expected.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
  });
});
