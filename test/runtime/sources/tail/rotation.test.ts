import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTailer } from '../../../../runtime/sources/tail/file-tailer.js';
import { collectingTailer, numberedText, scratchDirs, sleep, startWriter, tally, waitFor } from './helpers.js';

const RATE = 2000;
const COUNT = 4000; // 2 s of writing at 2,000 lines/s

const tempDir = scratchDirs();
/** Bytes of one writer line with up to 7 digits (all the same length). */
const LINE_BYTES = numberedText(0, 1).length;

/** Resolves once `file` holds `lines` more writer lines than now (20 s at most). */
async function grownBy(file: string, lines: number): Promise<void> {
  const size = statSync(file).size + lines * LINE_BYTES;
  expect(await waitFor(() => statSync(file).size >= size, 20_000)).toBe(true);
}

/** Numbers of the complete writer lines in `file` (a last line cut by the copy is not one). */
function completeLineNumbers(file: string): number[] {
  const text = readFileSync(file, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').flatMap((line) => {
    const m = /^line (\d{7}) t=\S+ x+$/.exec(line);
    return m === null ? [] : [Number(m[1])];
  });
}

describe('rotation under a live writer', () => {
  it('rename-and-create: reads the renamed file while the writer still uses it, then the new file from 0', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    // rotateWait well above the time to the reopen, however slow the machine.
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', rotateWait: 10 });
    const writer = startWriter(path, 0, COUNT, RATE);
    expect(await waitFor(() => got.numbers.length >= 200, 20_000)).toBe(true);
    renameSync(path, `${path}.1`);
    writeFileSync(path, '');
    // The writer keeps its old descriptor for a while, like a daemon before SIGHUP: 100 lines.
    await grownBy(`${path}.1`, 100);
    const firstInNew = await writer.reopen();
    await writer.done;
    expect(await waitFor(() => got.numbers.length >= COUNT, 20_000)).toBe(true);
    await tailer.stop();

    expect(tally(got.numbers, 0, COUNT)).toEqual({ missing: [], duplicated: [] });
    expect(firstInNew).toBeGreaterThan(0);
    expect(firstInNew).toBeLessThan(COUNT);
    expect(got.notices.filter((n) => n.kind === 'rotated')).toHaveLength(1);
  });

  it('delete-and-recreate: drains the deleted file by descriptor, then reads the new one', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    // Watch-driven: the poll (60 s) comes after the 20 s waits below, however busy the machine.
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', rotateWait: 10, pollInterval: 60_000 });
    const writer = startWriter(path, 0, COUNT, RATE);
    expect(await waitFor(() => got.numbers.length >= 200, 20_000)).toBe(true);
    unlinkSync(path);
    expect(await waitFor(() => got.notices.some((n) => n.kind === 'rotated' && n.reason === 'removed'), 20_000)).toBe(true);
    await writer.reopen(); // 'a' creates the file again
    await writer.done;
    expect(await waitFor(() => got.numbers.length >= COUNT, 20_000)).toBe(true);
    await tailer.stop();

    expect(tally(got.numbers, 0, COUNT)).toEqual({ missing: [], duplicated: [] });
  });

  it('rename into another directory (olddir): the moved file is still read out promptly', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    mkdirSync(join(dir, 'old'));
    writeFileSync(path, '');
    // A poll (60 s) later than the 20 s waits below: writes to a file moved out of the watched
    // directory raise no event there, so only the tailer's own read-out reaches them in time.
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', rotateWait: 10, pollInterval: 60_000 });
    const writer = startWriter(path, 0, COUNT, RATE);
    expect(await waitFor(() => got.numbers.length >= 200, 20_000)).toBe(true);
    const moved = join(dir, 'old', 'app.log.1');
    renameSync(path, moved);
    await grownBy(moved, 100);
    // Read out while the writer still writes only there (nothing at the path to raise an event).
    const written = statSync(moved).size / LINE_BYTES;
    expect(await waitFor(() => got.numbers.length >= written, 20_000)).toBe(true);
    await writer.reopen();
    await writer.done;
    expect(await waitFor(() => got.numbers.length >= COUNT, 20_000)).toBe(true);
    await tailer.stop();

    expect(tally(got.numbers, 0, COUNT)).toEqual({ missing: [], duplicated: [] });
  });

  it('symlink retarget: a link pointed at a new file counts as rotation', async () => {
    const dir = tempDir();
    // Targets live in other directories, and the poll is too slow to matter: the watches on
    // the link's and the target's directories must drive everything.
    mkdirSync(join(dir, 'one'));
    mkdirSync(join(dir, 'two'));
    const a = join(dir, 'one', 'a.log');
    const b = join(dir, 'two', 'b.log');
    const link = join(dir, 'current.log');
    writeFileSync(a, '');
    writeFileSync(b, '');
    symlinkSync(a, link);
    const { tailer, got } = await collectingTailer({ path: link, start: 'end', fileType: 'file', rotateWait: 1, pollInterval: 60_000 });
    const wa = startWriter(a, 0, 2000, RATE);
    await wa.done;
    await waitFor(() => got.numbers.length >= 2000, 20_000);
    // Retarget atomically as `ln -sfn` does: a new link renamed over the old one.
    symlinkSync(b, `${link}.tmp`);
    renameSync(`${link}.tmp`, link);
    const wb = startWriter(b, 2000, 2000, RATE);
    await wb.done;
    await waitFor(() => got.numbers.length >= 4000, 20_000);
    await tailer.stop();

    expect(tally(got.numbers, 0, 4000)).toEqual({ missing: [], duplicated: [] });
    expect(got.notices.filter((n) => n.kind === 'rotated')).toHaveLength(1);
  });

  it('a rotated file that comes back to the path (renamed back, a link pointed at it again) is followed on, not read again', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.log');
    writeFileSync(path, '');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', rotateWait: 5, pollInterval: 50 });
    const writer = startWriter(path, 0, COUNT, RATE);
    await waitFor(() => got.numbers.length >= 1000, 20_000);
    renameSync(path, join(dir, 'a.tmp'));
    await sleep(150);
    renameSync(join(dir, 'a.tmp'), path);
    await writer.done;
    await waitFor(() => got.numbers.length >= COUNT, 20_000);
    await sleep(200);
    expect(tally(got.numbers, 0, COUNT)).toEqual({ missing: [], duplicated: [] });
    expect(got.notices.filter((n) => n.kind === 'returned')).toHaveLength(1);

    const [a, b, link] = [join(dir, 'A.log'), join(dir, 'B.log'), join(dir, 'link.log')];
    writeFileSync(a, numberedText(5000, 1));
    writeFileSync(b, numberedText(6000, 1));
    symlinkSync('A.log', link);
    const linked = await collectingTailer({ path: link, start: 'end', fileType: 'file', rotateWait: 5, pollInterval: 50 });
    const retarget = (to: string): void => {
      symlinkSync(to, `${link}.new`);
      renameSync(`${link}.new`, link);
    };
    appendFileSync(a, numberedText(5001, 1));
    await waitFor(() => linked.got.numbers.length === 1, 20_000);
    retarget('B.log');
    await waitFor(() => linked.got.numbers.length === 2, 20_000);
    appendFileSync(b, numberedText(6001, 1));
    await waitFor(() => linked.got.numbers.length === 3, 20_000);
    retarget('A.log');
    await sleep(200);
    appendFileSync(a, numberedText(5002, 1));
    await waitFor(() => linked.got.numbers.length >= 4, 20_000);
    await sleep(300);
    await Promise.all([tailer.stop(), linked.tailer.stop()]);
    // B was new to us, so all of it; A on from where it was read to.
    expect(linked.got.numbers).toEqual([5001, 6000, 6001, 5002]);
  });

  it('copytruncate of a file followed through a symlink: the copy is found beside the target, not the link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    const real = join(dir, 'real', 'app.log');
    const link = join(dir, 'app.log');
    writeFileSync(real, 'a1\na2\n');
    symlinkSync(real, link);
    const { tailer, got } = await collectingTailer({ path: link, start: 'beginning', fileType: 'file', pollInterval: 50 });
    expect(await waitFor(() => got.other.length === 2, 20_000)).toBe(true);
    // Appended, copied and truncated in one go, before the tailer looks again.
    appendFileSync(real, 'b1\nb2\n');
    copyFileSync(real, `${real}.1`);
    truncateSync(real, 0);
    appendFileSync(real, 'c1\n');
    expect(await waitFor(() => got.other.length === 5, 20_000)).toBe(true);
    await tailer.stop();
    expect(got.other).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    expect(got.notices.find((n) => n.kind === 'truncated')).toMatchObject({ copy: 'app.log.1' });
  });

  it.each([0, 150])('truncated and rewritten past our offset before we look (cron\'s `cmd > job.log`), head padded by %i: the new content whole, from its first line', async (pad) => {
    const dir = tempDir();
    const path = join(dir, 'job.log');
    const p = 'p'.repeat(pad);
    writeFileSync(path, `run1 line-a ${p}\nrun1 line-b ${p}\n`);
    // A slow poll: the events alone must notice it.
    const { tailer, got } = await collectingTailer({ path, start: 'beginning', fileType: 'file', pollInterval: 60_000 });
    expect(await waitFor(() => got.other.length === 2, 20_000)).toBe(true);
    // Truncated and rewritten longer in one go (O_TRUNC, then one write).
    writeFileSync(path, `run2 first line ${p}\nrun2 second line ${p}\nrun2 third line ${p}\n`);
    expect(await waitFor(() => got.other.length >= 5, 20_000)).toBe(true);
    await sleep(200);
    await tailer.stop();
    expect(got.other).toEqual([`run1 line-a ${p}`, `run1 line-b ${p}`, `run2 first line ${p}`, `run2 second line ${p}`, `run2 third line ${p}`]);
    expect(got.notices.filter((n) => n.kind === 'truncated')).toHaveLength(1);
  });

  it('rewritten to exactly the length already read, before we look: the new content is still noticed by its head', async () => {
    const dir = tempDir();
    const path = join(dir, 'job.log');
    writeFileSync(path, 'run1 A\n');
    const { tailer, got } = await collectingTailer({ path, start: 'beginning', fileType: 'file', pollInterval: 60_000 });
    expect(await waitFor(() => got.other.length === 1, 20_000)).toBe(true);
    writeFileSync(path, 'run2 B\n');
    expect(await waitFor(() => got.other.length === 2, 20_000)).toBe(true);
    await tailer.stop();
    expect(got.other).toEqual(['run1 A', 'run2 B']);
  });

  it('copytruncate behind a large unread backlog: the copy is read a budget at a time, timers run in between, nothing lost', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, 'a1\n');
    let ticks = 0;
    const batches: { lines: number; ticks: number }[] = [];
    const seen: string[] = [];
    const tailer = new FileTailer(
      { path, start: 'beginning', fileType: 'file', pollInterval: 60_000 },
      { lines: (lines) => void (seen.push(...lines), batches.push({ lines: lines.length, ticks })) },
    );
    await tailer.start();
    expect(await waitFor(() => seen.length === 1, 20_000)).toBe(true);
    // 20 MiB appended, copied and truncated before the tailer looks: five 4 MiB turns of copy.
    appendFileSync(path, `${'b'.repeat(99)}\n`.repeat(200_000));
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, 'c1\n');
    const timer = setInterval(() => ticks++, 1);
    try {
      expect(await waitFor(() => seen.at(-1) === 'c1', 20_000)).toBe(true);
    } finally {
      clearInterval(timer);
      await tailer.stop();
    }
    expect(seen).toHaveLength(200_002);
    const copied = batches.slice(1, -1);
    expect(copied.reduce((n, b) => n + b.lines, 0)).toBe(200_000);
    // Read all at once, every batch of the copy would see the same tick count.
    expect(copied.at(-1)!.ticks).toBeGreaterThan(copied[0]!.ticks);
  });

  it('plain truncation: rereads from 0 and reports it', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file' });
    const w1 = startWriter(path, 0, 1000, RATE);
    await w1.done;
    await waitFor(() => got.numbers.length >= 1000, 20_000);
    truncateSync(path, 0);
    expect(await waitFor(() => got.notices.some((n) => n.kind === 'truncated'), 20_000)).toBe(true);
    const w2 = startWriter(path, 1000, 1000, RATE);
    await w2.done;
    await waitFor(() => got.numbers.length >= 2000, 20_000);
    await tailer.stop();

    expect(tally(got.numbers, 0, 2000)).toEqual({ missing: [], duplicated: [] });
    expect(got.notices.filter((n) => n.kind === 'truncated')).toHaveLength(1);
  });

  it('copytruncate: lines appended after our last read are recovered from the copy', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file' });
    appendFileSync(path, numberedText(0, 100));
    await waitFor(() => got.numbers.length >= 100, 20_000);
    // One synchronous block, so the tailer cannot read in between: append, copy, truncate.
    appendFileSync(path, `${numberedText(100, 50)}partial`);
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, numberedText(150, 50));
    await waitFor(() => got.numbers.length >= 200, 20_000);
    await tailer.stop();

    expect(tally(got.numbers, 0, 200)).toEqual({ missing: [], duplicated: [] });
    expect(got.other).toEqual([]);
    expect(got.notices).toContainEqual(expect.objectContaining({ kind: 'truncated', copy: 'app.log.1' }));
  });

  it('copytruncate under a live writer: every line in the copy or the truncated file is delivered once (3 runs)', async () => {
    // What no reader can have: lines written to the original after `cp` read it and before the
    // truncation are in neither file. Which lines those are is read from the two files
    // afterwards, so nothing here depends on how fast this machine is.
    const runs = 3;
    let window = 0;
    for (let run = 0; run < runs; run++) {
      const dir = tempDir();
      const path = join(dir, 'app.log');
      writeFileSync(path, '');
      const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file' });
      const writer = startWriter(path, 0, COUNT, RATE);
      expect(await waitFor(() => got.numbers.length >= 300, 20_000)).toBe(true);
      // The event loop is held from here until the truncation, so lines the writer adds meanwhile
      // reach us only from the copy: at least 50 of them, whatever the machine's speed.
      const deadline = Date.now() + 10_000;
      while (statSync(path).size < (Math.max(...got.numbers) + 51) * LINE_BYTES && Date.now() < deadline);
      // As logrotate does it: another process copies, then truncates, while the writer writes.
      expect(spawnSync('sh', ['-c', 'cp -- "$1" "$1.1" && truncate -s 0 -- "$1"', 'sh', path]).status).toBe(0);
      await writer.done;
      const onDisk = new Set([...completeLineNumbers(`${path}.1`), ...completeLineNumbers(path)]);
      await waitFor(() => [...onDisk].every((n) => got.numbers.includes(n)), 20_000);
      await tailer.stop();
      const t = tally(got.numbers, 0, COUNT);
      expect(t.duplicated).toEqual([]);
      expect(t.missing.filter((n) => onDisk.has(n))).toEqual([]);
      window += t.missing.length;
      expect(got.notices.find((n) => n.kind === 'truncated')).toMatchObject({ copy: 'app.log.1' });
    }
    console.log(`copytruncate: ${window} lines over ${runs} runs were in neither file (written between the copy and the truncation)`);
  });
});
