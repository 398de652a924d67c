import { execFileSync } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectingTailer, scratchDirs, startWriter, tally, waitFor } from './helpers.js';

const tempDir = scratchDirs();

describe('FIFO sources', () => {
  it('reads a FIFO as a stream across writers that come and go, waiting for it to exist', async () => {
    const dir = tempDir();
    const path = join(dir, 'pipe');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'fifo', pollInterval: 50 });
    expect(await waitFor(() => got.notices.some((n) => n.kind === 'missing'), 20_000)).toBe(true);
    execFileSync('mkfifo', [path]);
    await waitFor(() => got.notices.some((n) => n.kind === 'opened'), 20_000);
    const w1 = startWriter(path, 0, 1000, 2000);
    await w1.done;
    // The first writer closed its end; a second one opens the same pipe.
    const w2 = startWriter(path, 1000, 1000, 2000);
    await w2.done;
    await waitFor(() => got.numbers.length >= 2000, 20_000);
    await tailer.stop();

    expect(got.notices.filter((n) => n.kind === 'missing')).toHaveLength(1);
    expect(tally(got.numbers, 0, 2000)).toEqual({ missing: [], duplicated: [] });
  });

  it('reopens a FIFO that was removed and created again', async () => {
    const dir = tempDir();
    const path = join(dir, 'pipe');
    execFileSync('mkfifo', [path]);
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'fifo', pollInterval: 50 });
    const w1 = startWriter(path, 0, 500, 2000);
    await w1.done;
    await waitFor(() => got.numbers.length >= 500, 20_000);
    unlinkSync(path);
    execFileSync('mkfifo', [path]);
    // The writer's open blocks until we have reopened the new pipe.
    const w2 = startWriter(path, 500, 500, 2000);
    await w2.done;
    await waitFor(() => got.numbers.length >= 1000, 20_000);
    await tailer.stop();

    expect(tally(got.numbers, 0, 1000)).toEqual({ missing: [], duplicated: [] });
    expect(got.notices.filter((n) => n.kind === 'opened')).toHaveLength(2);
  });
});
