import { appendFileSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../../../runtime/sources/tail/checkpoint-store.js';
import type { Checkpoint, CheckpointStore } from '../../../../runtime/sources/tail/types.js';
import { FileTailer, UNSAVED_FACTOR } from '../../../../runtime/sources/tail/file-tailer.js';
import { collectingTailer, numberedText, scratchDirs, waitFor } from './helpers.js';

const tempDir = scratchDirs();
// No periodic save during these tests: what is saved is saved for another reason.
const NEVER = 3_600_000;

/** The one checkpoint file in `state`, as saved on disk (null while there is none). */
function onDisk(state: string): (Checkpoint & { path: string }) | null {
  const files = readdirSync(state).filter((f) => f.endsWith('.json'));
  return files.length === 0 ? null : (JSON.parse(readFileSync(join(state, files[0]!), 'utf8')) as Checkpoint & { path: string });
}

/** A real store that counts its saves and remembers the greatest offset saved. */
function counting(inner: CheckpointStore): CheckpointStore & { saves: number } {
  const store = {
    saves: 0,
    load: (path: string) => inner.load(path),
    save: (path: string, cp: Checkpoint) => {
      store.saves++;
      return inner.save(path, cp);
    },
  };
  return store;
}

describe('when checkpoints are saved', () => {
  it('on open: start() resolves once the starting position is on disk', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, numberedText(0, 10));
    const state = join(dir, 'state');
    const { tailer } = await collectingTailer({ path, start: 'end', fileType: 'file', checkpoint: createCheckpointStore(state), checkpointInterval: NEVER });
    // Killed now, a restart resumes here: lines appended meanwhile are read, not skipped by `start = end`.
    expect(onDisk(state)).toMatchObject({ ino: String(statSync(path).ino), offset: statSync(path).size });
    await tailer.stop();
  });

  it('right after a rotation: the new file is on disk before any interval or stop', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const state = join(dir, 'state');
    const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', checkpoint: createCheckpointStore(state), checkpointInterval: NEVER, pollInterval: 50 });
    appendFileSync(path, numberedText(0, 3));
    expect(await waitFor(() => got.numbers.length === 3, 20_000)).toBe(true);
    renameSync(path, `${path}.1`);
    writeFileSync(path, numberedText(3, 2));
    const fresh = String(statSync(path).ino);
    expect(await waitFor(() => got.numbers.length === 5, 20_000)).toBe(true);
    // Killed now, a restart finds the rotated file by its saved position and reads the new one on.
    expect(await waitFor(() => onDisk(state)?.ino === fresh, 20_000)).toBe(true);
    expect(onDisk(state)?.rotated?.map((r) => r.ino)).toEqual([String(statSync(`${path}.1`).ino)]);
    await tailer.stop();
  });

  it('every checkpointLines lines, and reading waits while UNSAVED_FACTOR times that are unsaved: a backlog is never far ahead of its checkpoint', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    const total = 20_000;
    writeFileSync(path, numberedText(0, total));
    const inner = createCheckpointStore(join(dir, 'state'));
    let unsavedMax = 0;
    let delivered = 0;
    let saved = 0;
    // The real store, but each save lands only after the next turn of the loop, as a slow disk would.
    const slow: CheckpointStore = {
      load: (p) => inner.load(p),
      save: async (p, cp) => {
        await new Promise((r) => setImmediate(r));
        const problem = await inner.save(p, cp);
        saved = Math.max(saved, cp.offset / numberedText(0, 1).length);
        return problem;
      },
    };
    const store = counting(slow);
    const tailer = new FileTailer(
      { path, start: 'beginning', fileType: 'file', checkpoint: store, checkpointInterval: NEVER, checkpointLines: 500 },
      {
        lines: (lines) => {
          delivered += lines.length;
          unsavedMax = Math.max(unsavedMax, delivered - saved);
        },
      },
    );
    await tailer.start();
    expect(await waitFor(() => delivered === total, 20_000)).toBe(true);
    await tailer.stop();
    expect(store.saves).toBeGreaterThanOrEqual(total / (UNSAVED_FACTOR * 500));
    // UNSAVED_FACTOR times checkpointLines, plus the lines of one 256 KiB read.
    expect(unsavedMax).toBeLessThanOrEqual(UNSAVED_FACTOR * 500 + Math.ceil((256 * 1024) / numberedText(0, 1).length));
  });
});

describe('the list of rotated files in a checkpoint', () => {
  it('stays short when restarts come faster than rotate_wait: at most four rotated files, none twice', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const state = join(dir, 'state');
    const all: number[] = [];
    for (let cycle = 0; cycle < 7; cycle++) {
      const { tailer, got } = await collectingTailer({ path, start: 'end', fileType: 'file', checkpoint: createCheckpointStore(state), rotateWait: 3600, pollInterval: 50 });
      appendFileSync(path, numberedText(cycle, 1));
      expect(await waitFor(() => got.numbers.includes(cycle), 20_000)).toBe(true);
      // Rotated with a name of its own (dateext), a new file at the path.
      renameSync(path, `${path}.${cycle}`);
      writeFileSync(path, '');
      expect(await waitFor(() => got.notices.some((n) => n.kind === 'opened' && n.offset === 0), 20_000)).toBe(true);
      await tailer.stop();
      all.push(...got.numbers);
    }
    const rotated = onDisk(state)?.rotated ?? [];
    expect(rotated.length).toBeLessThanOrEqual(4);
    expect(new Set(rotated.map((r) => r.ino)).size).toBe(rotated.length);
    // Each still carries when its reading out ends: a restart does not start its grace period anew.
    for (const r of rotated) expect(r.until).toBeGreaterThan(0);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
