import { appendFileSync, closeSync, copyFileSync, mkdirSync, openSync, renameSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../../../runtime/sources/tail/checkpoint-store.js';
import { FileTailer } from '../../../../runtime/sources/tail/file-tailer.js';
import type { CheckpointStore, TailOptions } from '../../../../runtime/sources/tail/types.js';
import { collectingTailer, numberedText, scratchDirs, sleep, startWriter, tally, waitFor } from './helpers.js';

const tempDir = scratchDirs();
/** Bytes of one writer line with up to 7 digits (`numberedText` makes them all the same length). */
const LINE_BYTES = numberedText(0, 1).length;

/**
 * A log file with `content` in a fresh directory. `tail` starts a collecting tailer on it that
 * checkpoints into the same state directory every time, as a restarted daemon would.
 */
function restartable(content: string): {
  path: string;
  tail: (opts: Omit<TailOptions, 'path' | 'fileType' | 'checkpoint'>) => ReturnType<typeof collectingTailer>;
  store: () => CheckpointStore;
} {
  const dir = tempDir();
  const path = join(dir, 'app.log');
  const store = (): CheckpointStore => createCheckpointStore(join(dir, 'state'));
  writeFileSync(path, content);
  return { path, store, tail: (opts) => collectingTailer({ path, fileType: 'file', ...opts, checkpoint: store() }) };
}

describe('checkpoints across restarts', () => {
  it('a restart mid-stream resumes at the handled offset: no line lost, none duplicated', async () => {
    const { path, tail } = restartable('');
    const first = await tail({ start: 'end' });
    const writer = startWriter(path, 0, 6000, 2000);
    // Counts, not sleeps: a loaded machine may start the writer late or run it in bursts.
    expect(await waitFor(() => first.got.numbers.length >= 200, 20_000)).toBe(true);
    await first.tailer.stop();
    const stoppedAt = first.got.numbers.length;
    const sizeAtStop = statSync(path).size;
    // Lines written while nobody reads: `start: 'end'` would skip them; only the checkpoint brings them back.
    let ended = false;
    void writer.done.then(() => (ended = true));
    await waitFor(() => ended || statSync(path).size > sizeAtStop + 100 * LINE_BYTES, 20_000);
    const gap = (statSync(path).size - sizeAtStop) / LINE_BYTES;
    const second = await tail({ start: 'end' });
    await writer.done;
    const all = (): number[] => [...first.got.numbers, ...second.got.numbers];
    await waitFor(() => tally(all(), 0, 6000).missing.length === 0, 20_000);
    await second.tailer.stop();

    expect(gap).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(6000);
    expect(tally(all(), 0, 6000)).toEqual({ missing: [], duplicated: [] });
    expect(second.got.notices.some((n) => n.kind === 'resumed')).toBe(true);
  });

  it('a stop while the path is rotated away and not yet recreated saves the renamed file\'s position: no line delivered twice', async () => {
    const { path, tail } = restartable(numberedText(0, 3));
    const first = await tail({ start: 'beginning', rotateWait: 1, pollInterval: 50 });
    expect(await waitFor(() => first.got.numbers.length === 3, 20_000)).toBe(true);
    await first.tailer.stop();
    const second = await tail({ start: 'beginning', rotateWait: 1, pollInterval: 50 });
    appendFileSync(path, numberedText(3, 2));
    expect(await waitFor(() => second.got.numbers.length === 2, 20_000)).toBe(true);
    // logrotate without `create`: the writer keeps its descriptor and recreates the file later.
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, numberedText(5, 1));
    expect(await waitFor(() => second.got.numbers.length === 3, 20_000)).toBe(true);
    await second.tailer.stop();
    appendFileSync(`${path}.1`, numberedText(6, 1));
    const third = await tail({ start: 'beginning', rotateWait: 1, pollInterval: 50 });
    expect(await waitFor(() => third.got.numbers.length >= 1, 20_000)).toBe(true);
    await sleep(200);
    await third.tailer.stop();
    expect(tally([...first.got.numbers, ...second.got.numbers, ...third.got.numbers], 0, 7)).toEqual({ missing: [], duplicated: [] });
    expect(third.got.notices.some((n) => n.kind === 'resumed-rotated')).toBe(true);
  });

  it('a rotated file retired while the path is still missing keeps its final position for a restart', async () => {
    const { path, tail } = restartable('');
    const first = await tail({ start: 'end', rotateWait: 0.5, pollInterval: 50, checkpointInterval: 100 });
    // The writer's descriptor: logrotate without `create`, the daemon not told yet.
    const fd = openSync(path, 'a');
    writeSync(fd, numberedText(0, 2));
    expect(await waitFor(() => first.got.numbers.length === 2, 20_000)).toBe(true);
    renameSync(path, `${path}.1`);
    writeSync(fd, numberedText(2, 1));
    // Its last line still unfinished when the rotated file is retired: delivered then, as a whole line.
    writeSync(fd, numberedText(3, 1).trimEnd());
    closeSync(fd);
    expect(await waitFor(() => first.got.notices.some((n) => n.kind === 'retired'), 20_000)).toBe(true);
    await first.tailer.stop();
    expect(first.got.numbers).toEqual([0, 1, 2, 3]);
    const second = await tail({ start: 'end', rotateWait: 0.5, pollInterval: 50 });
    // Longer than rotate_wait: a rotated file found again would be read out and retired by now.
    await sleep(1000);
    await second.tailer.stop();
    expect(second.got.numbers).toEqual([]);
  });

  it('a copytruncate while stopped: the restart reads what the copy holds past the checkpoint, then the truncated file', async () => {
    const { path, tail } = restartable(numberedText(0, 3));
    const first = await tail({ start: 'beginning', pollInterval: 50 });
    expect(await waitFor(() => first.got.numbers.length === 3, 20_000)).toBe(true);
    await first.tailer.stop();
    appendFileSync(path, numberedText(3, 2));
    // logrotate's copytruncate, then the writer goes on in the emptied file.
    copyFileSync(path, `${path}.1`);
    truncateSync(path, 0);
    appendFileSync(path, numberedText(5, 2));
    const second = await tail({ start: 'beginning', pollInterval: 50 });
    expect(await waitFor(() => second.got.numbers.length >= 4, 20_000)).toBe(true);
    await sleep(200);
    await second.tailer.stop();
    expect(second.got.numbers).toEqual([3, 4, 5, 6]);
    expect(second.got.notices).toContainEqual({ kind: 'truncated', path, from: numberedText(0, 3).length, to: numberedText(5, 2).length, copy: 'app.log.1' });
  });

  it('a symlink pointed at a file in another directory while stopped: the restart reads the rest of the old target first', async () => {
    const dir = tempDir();
    for (const sub of ['d1', 'd2', 'links']) mkdirSync(join(dir, sub));
    const [old, next, link] = [join(dir, 'd1/app.log'), join(dir, 'd2/app.log'), join(dir, 'links/current.log')];
    writeFileSync(old, numberedText(0, 1));
    symlinkSync('../d1/app.log', link);
    const tail = (): ReturnType<typeof collectingTailer> =>
      collectingTailer({ path: link, fileType: 'file', start: 'beginning', rotateWait: 0.3, pollInterval: 50, checkpoint: createCheckpointStore(join(dir, 'state')) });
    const first = await tail();
    expect(await waitFor(() => first.got.numbers.length === 1, 20_000)).toBe(true);
    await first.tailer.stop();
    // While stopped: the old target gets a last line, and the link moves to a dated directory.
    appendFileSync(old, numberedText(1, 1));
    writeFileSync(next, numberedText(2, 1));
    unlinkSync(link);
    symlinkSync('../d2/app.log', link);
    const second = await tail();
    expect(await waitFor(() => second.got.numbers.length >= 2, 20_000)).toBe(true);
    await sleep(500);
    await second.tailer.stop();
    expect(second.got.numbers).toEqual([1, 2]);
  });

  it('a stop during rotate_wait after the new file appeared: the restart reads on in the rotated file too', async () => {
    const { path, tail } = restartable('L1\n');
    const first = await tail({ start: 'beginning', rotateWait: 5, pollInterval: 50 });
    expect(await waitFor(() => first.got.other.length === 1, 20_000)).toBe(true);
    // logrotate `create`: the writer has not reopened yet and still writes to the old file.
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'N1\n');
    appendFileSync(`${path}.1`, 'L2\nL3 begun');
    expect(await waitFor(() => first.got.other.includes('L2') && first.got.other.includes('N1'), 20_000)).toBe(true);
    await first.tailer.stop();
    appendFileSync(`${path}.1`, ' and ended\nL4\n');
    appendFileSync(path, 'N2\n');
    const second = await tail({ start: 'beginning', rotateWait: 0.2, pollInterval: 50 });
    expect(await waitFor(() => second.got.other.length >= 3, 20_000)).toBe(true);
    await sleep(300);
    await second.tailer.stop();
    expect([...first.got.other, ...second.got.other].sort()).toEqual(['L1', 'L2', 'L3 begun and ended', 'L4', 'N1', 'N2']);
    expect(second.got.other.indexOf('L4')).toBeLessThan(second.got.other.indexOf('N2'));
    expect(second.got.notices.some((n) => n.kind === 'resumed-rotated')).toBe(true);
  });

  it('through a symlink, a restart finds the target renamed while stopped beside the target, not the link', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    const real = join(dir, 'real', 'app.log');
    const link = join(dir, 'app.log');
    writeFileSync(real, 'L1\n');
    symlinkSync(real, link);
    const state = join(dir, 'state');
    const opts = { path: link, start: 'beginning', fileType: 'file', rotateWait: 0.2, pollInterval: 50 } as const;
    const first = await collectingTailer({ ...opts, checkpoint: createCheckpointStore(state) });
    expect(await waitFor(() => first.got.other.length === 1, 20_000)).toBe(true);
    await first.tailer.stop();
    appendFileSync(real, 'L2\n');
    renameSync(real, `${real}.1`);
    writeFileSync(real, 'N1\n');
    const second = await collectingTailer({ ...opts, checkpoint: createCheckpointStore(state) });
    expect(await waitFor(() => second.got.other.length === 2, 20_000)).toBe(true);
    await second.tailer.stop();
    expect(second.got.other).toEqual(['L2', 'N1']);
    expect(second.got.notices.some((n) => n.kind === 'resumed-rotated')).toBe(true);
  });

  it('a restart after a rotation that happened while stopped reads the rest of the renamed file, then the new one', async () => {
    const { path, tail } = restartable('');
    const first = await tail({ start: 'end' });
    const writer = startWriter(path, 0, 4000, 2000);
    expect(await waitFor(() => first.got.numbers.length >= 200, 20_000)).toBe(true);
    await first.tailer.stop();
    renameSync(path, `${path}.1`);
    // Still writing to the renamed file: 100 lines more there.
    const grown = statSync(`${path}.1`).size + 100 * numberedText(0, 1).length;
    expect(await waitFor(() => statSync(`${path}.1`).size >= grown, 20_000)).toBe(true);
    await writer.reopen();
    await sleep(200);
    const second = await tail({ start: 'end', rotateWait: 1 });
    await writer.done;
    await waitFor(() => first.got.numbers.length + second.got.numbers.length >= 4000, 20_000);
    await second.tailer.stop();

    expect(tally([...first.got.numbers, ...second.got.numbers], 0, 4000)).toEqual({ missing: [], duplicated: [] });
    expect(second.got.notices).toContainEqual(expect.objectContaining({ kind: 'resumed-rotated', file: 'app.log.1' }));
  });

  it('stop() called from inside the lines handler counts that batch as handled', async () => {
    const { path, tail, store } = restartable(numberedText(0, 10));
    const firstSeen: string[] = [];
    const first = new FileTailer(
      { path, start: 'beginning', fileType: 'file', checkpoint: store() },
      {
        lines(lines) {
          firstSeen.push(...lines);
          void first.stop();
        },
      },
    );
    await first.start();
    await waitFor(() => firstSeen.length > 0, 20_000);
    await first.stop();
    appendFileSync(path, numberedText(10, 10));
    const second = await tail({ start: 'beginning' });
    await waitFor(() => second.got.numbers.length >= 10, 20_000);
    await second.tailer.stop();

    expect(firstSeen).toHaveLength(10);
    expect(tally(second.got.numbers, 10, 10)).toEqual({ missing: [], duplicated: [] });
    expect(second.got.numbers).toHaveLength(10);
  });

  it('a restart inside a cut long line does not deliver its remainder or the cut again', async () => {
    const { path, tail } = restartable('');
    const first = await tail({ start: 'end', lineMax: 1024 });
    appendFileSync(path, 'L'.repeat(5000));
    await waitFor(() => first.got.other.length >= 1, 20_000);
    await first.tailer.stop();
    appendFileSync(path, `${'L'.repeat(5000)}\n${numberedText(0, 5)}`);
    const second = await tail({ start: 'beginning', lineMax: 1024 });
    await waitFor(() => second.got.numbers.length >= 5, 20_000);
    await second.tailer.stop();

    expect(first.got.other).toEqual(['L'.repeat(1024)]);
    expect(second.got.other).toEqual([]);
    expect(second.got.numbers).toEqual([0, 1, 2, 3, 4]);
  });

  it('inode reuse: a new file of the same size (likely the same inode) is not resumed into', async () => {
    const { path, tail } = restartable(numberedText(0, 100));
    const first = await tail({ start: 'beginning' });
    await waitFor(() => first.got.numbers.length >= 100, 20_000);
    await first.tailer.stop();
    const oldIno = statSync(path).ino;
    unlinkSync(path);
    writeFileSync(path, numberedText(500, 100));
    const reused = statSync(path).ino === oldIno;
    const second = await tail({ start: 'beginning' });
    await waitFor(() => second.got.numbers.length >= 100, 20_000);
    await second.tailer.stop();

    console.log(`inode reuse test: inode ${reused ? 'was' : 'was not'} reused`);
    expect(tally(second.got.numbers, 500, 100)).toEqual({ missing: [], duplicated: [] });
    expect(second.got.notices.some((n) => n.kind === 'checkpoint-stale')).toBe(true);
  });

  it('inode reuse under a live writer: a new file grown past the old offset is read from 0, nothing skipped', async () => {
    const { path, tail } = restartable('');
    const first = await tail({ start: 'end' });
    const before = startWriter(path, 0, 2000, 2000);
    await before.done;
    await waitFor(() => first.got.numbers.length >= 2000, 20_000);
    await first.tailer.stop();
    const old = statSync(path);
    unlinkSync(path); // nobody holds it now, so its inode is free for the next file
    const after = startWriter(path, 5000, 4000, 2000);
    // Past the checkpointed offset, the size no longer betrays the new file: only its head does.
    await waitFor(() => statSync(path, { throwIfNoEntry: false })?.size! > old.size, 20_000);
    const second = await tail({ start: 'end' });
    await after.done;
    await waitFor(() => second.got.numbers.length >= 4000, 20_000);
    await second.tailer.stop();

    console.log(`inode reuse under a writer: inode ${statSync(path).ino === old.ino ? 'was' : 'was not'} reused`);
    expect(tally(first.got.numbers, 0, 2000)).toEqual({ missing: [], duplicated: [] });
    expect(tally(second.got.numbers, 5000, 4000)).toEqual({ missing: [], duplicated: [] });
    expect(second.got.notices.some((n) => n.kind === 'checkpoint-stale')).toBe(true);
  });

  it('a file rewritten in place (same inode, same size, different head) is read from its start', async () => {
    const { path, tail } = restartable(numberedText(0, 100));
    const first = await tail({ start: 'beginning' });
    await waitFor(() => first.got.numbers.length >= 100, 20_000);
    await first.tailer.stop();
    const fd = openSync(path, 'r+');
    writeSync(fd, numberedText(700, 100), 0);
    closeSync(fd);
    const second = await tail({ start: 'beginning' });
    await waitFor(() => second.got.numbers.length >= 100, 20_000);
    await second.tailer.stop();

    expect(tally(second.got.numbers, 700, 100)).toEqual({ missing: [], duplicated: [] });
    const stale = second.got.notices.find((n) => n.kind === 'checkpoint-stale');
    expect(stale).toMatchObject({ reason: 'the file was rewritten (its head differs)' });
  });

  it('a file that only grew keeps its fingerprint as a prefix and is resumed', async () => {
    const { path, tail } = restartable('a\n'); // shorter than the 256-byte fingerprint
    const first = await tail({ start: 'beginning' });
    await waitFor(() => first.got.other.length >= 1, 20_000);
    await first.tailer.stop();
    writeFileSync(path, `a\n${numberedText(0, 20)}`);
    const second = await tail({ start: 'beginning' });
    await waitFor(() => second.got.numbers.length >= 20, 20_000);
    await second.tailer.stop();

    expect(second.got.other).toEqual([]);
    expect(tally(second.got.numbers, 0, 20)).toEqual({ missing: [], duplicated: [] });
    expect(second.got.notices).toContainEqual({ kind: 'resumed', path, offset: 2 });
  });
});
