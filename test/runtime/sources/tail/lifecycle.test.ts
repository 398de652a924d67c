import { appendFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../../../runtime/sources/tail/checkpoint-store.js';
import { FileTailer } from '../../../../runtime/sources/tail/file-tailer.js';
import { collectingTailer, numberedText, scratchDirs, sleep, startWriter, tally, waitFor } from './helpers.js';

const tempDir = scratchDirs();

describe('FileTailer lifecycle', () => {
  it('starts at the end by default and at 0 with start = beginning', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, numberedText(0, 100));
    const atEnd = await collectingTailer({ path, start: 'end', fileType: 'file' });
    const atStart = await collectingTailer({ path, start: 'beginning', fileType: 'file' });
    appendFileSync(path, numberedText(100, 50));
    await waitFor(() => atEnd.got.numbers.length >= 50 && atStart.got.numbers.length >= 150, 20_000);
    await atEnd.tailer.stop();
    await atStart.tailer.stop();
    expect(tally(atEnd.got.numbers, 100, 50)).toEqual({ missing: [], duplicated: [] });
    expect(atEnd.got.numbers).toHaveLength(50);
    expect(tally(atStart.got.numbers, 0, 150)).toEqual({ missing: [], duplicated: [] });
  });

  it('skips the tail of a line it starts in the middle of', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, `${numberedText(0, 3)}half a li`);
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file' });
    appendFileSync(path, `ne\n${numberedText(3, 2)}`);
    await waitFor(() => got.numbers.length >= 2, 20_000);
    await tailer.stop();
    expect(got.numbers).toEqual([3, 4]);
    expect(got.other).toEqual([]);
  });

  it('waits for a missing file (noticed once) and reads it from 0 when it appears, even in a missing directory', async () => {
    const dir = join(tempDir(), 'later');
    const path = join(dir, 'app.log');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', pollInterval: 50 });
    expect(await waitFor(() => got.notices.some((n) => n.kind === 'missing'), 20_000)).toBe(true);
    mkdirSync(dir);
    const writer = startWriter(path, 0, 1000, 2000);
    await writer.done;
    await waitFor(() => got.numbers.length >= 1000, 20_000);
    await tailer.stop();
    expect(got.notices.filter((n) => n.kind === 'missing')).toHaveLength(1);
    expect(tally(got.numbers, 0, 1000)).toEqual({ missing: [], duplicated: [] });
  });

  it('a directory where the file should be is not the file: the file that replaces it is read from 0', async () => {
    const path = join(tempDir(), 'app.log');
    mkdirSync(path);
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', pollInterval: 50 });
    expect(await waitFor(() => got.notices.some((n) => n.kind === 'error' && n.message === 'not a regular file'), 20_000)).toBe(true);
    const staged = `${path}.new`;
    writeFileSync(staged, numberedText(0, 2));
    rmSync(path, { recursive: true });
    renameSync(staged, path);
    expect(await waitFor(() => got.numbers.length === 2, 20_000)).toBe(true);
    await tailer.stop();
    expect(got.numbers).toEqual([0, 1]);
  });

  it('a log directory removed and made again is watched again: appends arrive on events, not at the next poll', async () => {
    const logs = join(tempDir(), 'logs');
    mkdirSync(logs);
    const path = join(logs, 'app.log');
    writeFileSync(path, '');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', rotateWait: 0, pollInterval: 3000 });
    rmSync(logs, { recursive: true });
    await sleep(50);
    mkdirSync(logs);
    writeFileSync(path, '');
    // Only a poll can see the new directory. Then 10 appends, each once the one before arrived:
    // on polls alone they need 9 more polls (27 s), on events they all arrive within the 20 s,
    // however busy the machine. Counted, not timed per line.
    expect(await waitFor(() => got.notices.filter((n) => n.kind === 'opened').length === 2, 20_000)).toBe(true);
    const deadline = Date.now() + 20_000;
    for (let n = 0; n < 10; n++) {
      appendFileSync(path, numberedText(n, 1));
      await waitFor(() => got.numbers.length === n + 1, Math.max(0, deadline - Date.now()));
    }
    await tailer.stop();
    expect(got.numbers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('holds a partial line until its newline arrives', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, '');
    const seen: string[] = [];
    const tailer = new FileTailer({ path, start: 'end', fileType: 'file' }, { lines: (l) => seen.push(...l) });
    await tailer.start();
    appendFileSync(path, 'first half');
    await sleep(300);
    expect(seen).toEqual([]);
    appendFileSync(path, ', second half\r\nnext');
    await waitFor(() => seen.length >= 1, 20_000);
    await sleep(50);
    await tailer.stop();
    expect(seen).toEqual(['first half, second half']);
  });

  it('cuts a 1 MiB line to lineMax once, reports it, and reads the following lines correctly', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, '');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file' });
    appendFileSync(path, numberedText(0, 10));
    // The long line arrives in several appends, as a slow writer would produce it.
    for (let i = 0; i < 4; i++) {
      appendFileSync(path, 'B'.repeat(256 * 1024));
      await sleep(20);
    }
    appendFileSync(path, `\n${numberedText(10, 10)}`);
    await waitFor(() => got.numbers.length >= 20, 20_000);
    await tailer.stop();
    expect(got.numbers).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(got.other).toEqual(['B'.repeat(64 * 1024)]);
    const cuts = got.notices.filter((n) => n.kind === 'line-cut');
    expect(cuts).toEqual([{ kind: 'line-cut', path, total: 1, lineMax: 64 * 1024 }]);
  });

  it('a file deleted and recreated at the same size between two looks is read as a new file', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, '');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', rotateWait: 0.2 });
    appendFileSync(path, numberedText(0, 100));
    await waitFor(() => got.numbers.length >= 100, 20_000);
    // One synchronous block: the tailer cannot look in between.
    unlinkSync(path);
    writeFileSync(path, numberedText(100, 100));
    await waitFor(() => got.numbers.length >= 200, 20_000);
    await tailer.stop();
    expect(tally(got.numbers, 0, 200)).toEqual({ missing: [], duplicated: [] });
  });

  it('reports the size after reads, including the drop after a truncation', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, 'x'.repeat(99) + '\n');
    const sizes: number[] = [];
    const tailer = new FileTailer({ path, start: 'end', fileType: 'file' }, { lines: () => undefined, size: (b) => sizes.push(b) });
    await tailer.start();
    appendFileSync(path, 'y'.repeat(49) + '\n');
    await waitFor(() => sizes.includes(150), 20_000);
    truncateSync(path, 0);
    appendFileSync(path, 'z\n');
    await waitFor(() => sizes.at(-1) === 2, 20_000);
    await tailer.stop();
    expect(sizes[0]).toBe(100);
    expect(sizes).toContain(150);
    expect(sizes.at(-1)).toBe(2);
  });

  it('reports a file rewritten past its old size between two looks as emptied first, so size thresholds re-arm', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, 'x'.repeat(149) + '\n');
    const sizes: number[] = [];
    const tailer = new FileTailer({ path, start: 'end', fileType: 'file' }, { lines: () => undefined, size: (b) => sizes.push(b) });
    await tailer.start();
    // `cmd > app.log`: truncated and written again within one turn of ours.
    writeFileSync(path, 'z'.repeat(179) + '\n');
    await waitFor(() => sizes.at(-1) === 180, 20_000);
    await tailer.stop();
    expect(sizes).toEqual([150, 0, 180]);
  });

  it('turns a throwing handler into a notice and keeps going', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, '');
    const seen: string[] = [];
    const notices: string[] = [];
    const tailer = new FileTailer(
      { path, start: 'end', fileType: 'file' },
      {
        lines(lines) {
          seen.push(...lines);
          if (lines.includes('boom')) throw new Error('handler failed');
        },
        notice: (n) => notices.push(n.kind === 'error' ? n.message : n.kind),
      },
    );
    await tailer.start();
    for (const [i, line] of ['boom', 'boom', 'boom', 'after'].entries()) {
      appendFileSync(path, `${line}\n`);
      await waitFor(() => seen.length > i, 20_000);
    }
    await tailer.stop();
    expect(seen).toEqual(['boom', 'boom', 'boom', 'after']);
    // Said once, not once per batch.
    expect(notices.filter((n) => n === 'lines handler threw: handler failed')).toHaveLength(1);
  });

  it('reports a checkpoint it cannot save once, not at every interval, and keeps reading', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const store = createCheckpointStore(join(dir, 'state'));
    // Then a file where the state directory was (made at the start, replaced since).
    rmSync(join(dir, 'state'), { recursive: true });
    writeFileSync(join(dir, 'state'), '');
    const seen: string[] = [];
    const errors: string[] = [];
    const tailer = new FileTailer(
      { path, start: 'end', fileType: 'file', checkpoint: store, checkpointInterval: 50 },
      { lines: (lines) => void seen.push(...lines), notice: (n) => void (n.kind === 'error' && errors.push(n.message)) },
    );
    await tailer.start();
    for (let i = 0; i < 8; i++) {
      appendFileSync(path, `line ${i}\n`);
      await waitFor(() => seen.length > i, 20_000);
      await sleep(60);
    }
    await tailer.stop();
    expect(seen).toHaveLength(8);
    // Once at load, once at the first save that fails.
    expect(errors.map((e) => /^cannot (read|save) checkpoint/.exec(e)?.[0])).toEqual(['cannot read checkpoint', 'cannot save checkpoint']);
  });

  it('stop() closes every descriptor and delivers nothing afterwards', async () => {
    const path = join(tempDir(), 'app.log');
    writeFileSync(path, '');
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = fds();
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', rotateWait: 30 });
    appendFileSync(path, numberedText(0, 5));
    await waitFor(() => got.numbers.length >= 5, 20_000);
    unlinkSync(path);
    appendFileSync(path, numberedText(5, 5));
    await waitFor(() => got.numbers.length >= 10, 20_000);
    expect(fds()).toBeGreaterThan(before);
    await tailer.stop();
    appendFileSync(path, numberedText(10, 5));
    await sleep(300);
    expect(got.numbers).toHaveLength(10);
    expect(fds()).toBe(before);
    expect(statSync(path).size).toBeGreaterThan(0);
  });
});
