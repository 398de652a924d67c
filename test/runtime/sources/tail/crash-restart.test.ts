/**
 * kill -9 of a real reader process, restarted on the same state directory: nothing is lost,
 * and what is delivered twice is bounded by count (at-least-once, docs/tailing.md). Every wait
 * is for a count of lines, never a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UNSAVED_FACTOR } from '../../../../runtime/sources/tail/file-tailer.js';
import { REPO } from '../../../cli/run-cli.js';
import { numberedText, scratchDirs, startWriter, tally, waitFor } from './helpers.js';

const tempDir = scratchDirs();
const LINE_BYTES = numberedText(0, 1).length;
const CHECKPOINT_LINES = 200;
/** Lines a crash may deliver again: UNSAVED_FACTOR times checkpointLines, plus one 256 KiB read. */
const BOUND = UNSAVED_FACTOR * CHECKPOINT_LINES + Math.ceil((256 * 1024) / LINE_BYTES);

// The reader: the built tailer with a state directory; each batch's line numbers are appended
// to OUT before the handler returns, so "handled" means "recorded" when the kill comes.
const READER = `
const { FileTailer, createCheckpointStore } = await import(${JSON.stringify(join(REPO, 'out/runtime/sources/tail/index.js'))});
const { appendFileSync } = await import('node:fs');
const [path, state, out, start, lines] = process.argv.slice(1);
const tailer = new FileTailer(
  { path, start, fileType: 'file', checkpoint: createCheckpointStore(state), checkpointLines: Number(lines), rotateWait: 30, pollInterval: 50 },
  { lines: (batch) => appendFileSync(out, batch.map((l) => l.slice(5, 12) + '\\n').join('')) },
);
await tailer.start();
process.stdout.write('started\\n');
process.on('SIGTERM', () => void tailer.stop().then(() => process.exit(0)));
`;

/** Readers still running: a failed wait must not leave one tailing after its test. */
const readers = new Set<ChildProcess>();
afterEach(() => {
  for (const child of readers) child.kill('SIGKILL');
  readers.clear();
});

function startReader(path: string, state: string, out: string, start: 'end' | 'beginning'): { child: ChildProcess; started: Promise<void> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', READER, path, state, out, start, String(CHECKPOINT_LINES)], { stdio: ['ignore', 'pipe', 'inherit'] });
  readers.add(child);
  child.on('exit', () => readers.delete(child));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => d.includes('started') && resolve());
    child.on('exit', (code) => reject(new Error(`reader exited with ${code} before it started`)));
  });
  return { child, started };
}

async function kill9(child: ChildProcess): Promise<void> {
  const gone = once(child, 'exit');
  child.kill('SIGKILL');
  await gone;
}

const recorded = (out: string): number[] => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map(Number) : []);

describe('kill -9 and restart', () => {
  it('during a backlog: nothing lost, and each crash delivers at most BOUND lines again', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    const total = 60_000;
    writeFileSync(path, numberedText(0, total));
    const state = join(dir, 'state');
    const out = join(dir, 'out');
    const kills = 3;
    for (let k = 0; k < kills; k++) {
      const before = recorded(out).length;
      const reader = startReader(path, state, out, 'beginning');
      await reader.started;
      // Past a few saves, well before the end.
      expect(await waitFor(() => recorded(out).length >= before + 5_000, 20_000)).toBe(true);
      await kill9(reader.child);
    }
    const last = startReader(path, state, out, 'beginning');
    await last.started;
    const all = (): number[] => recorded(out);
    expect(await waitFor(() => tally(all(), 0, total).missing.length === 0, 30_000)).toBe(true);
    last.child.kill('SIGTERM');
    await once(last.child, 'exit');
    const { missing, duplicated } = tally(all(), 0, total);
    const twice = all().length - total;
    console.log(`backlog: ${kills} kills, ${twice} line(s) delivered twice (bound ${kills} x ${BOUND})`);
    expect(missing).toEqual([]);
    expect(duplicated.length).toBe(twice);
    expect(twice).toBeLessThanOrEqual(kills * BOUND);
    // Four reader processes, each waited for by count: the case's own bound only catches a hang.
  }, 180_000);

  it('under a live writer with a rename rotation while down, also when killed right after start: nothing lost, duplicates bounded', async () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const state = join(dir, 'state');
    const out = join(dir, 'out');
    const total = 8_000;
    let writer: ReturnType<typeof startWriter> | null = null;
    let ended = false;
    const kills = 4;
    for (let k = 0; k < kills; k++) {
      const before = recorded(out).length;
      const reader = startReader(path, state, out, 'end');
      await reader.started;
      if (writer === null) {
        // Every line comes after the first reader's start (`start = end`), so every line is owed.
        writer = startWriter(path, 0, total, 2000);
        void writer.done.then(() => (ended = true));
        // Killed as soon as the writer writes: before any periodic save could have happened.
        await waitFor(() => readFileSync(path).length > 0, 20_000);
      } else {
        await waitFor(() => ended || recorded(out).length >= before + 300, 20_000);
      }
      await kill9(reader.child);
      // While nobody reads: the log is renamed and recreated, the writer goes on in the renamed
      // file until it reopens, as a daemon does until its postrotate signal.
      const size = readFileSync(path).length;
      await waitFor(() => ended || readFileSync(path).length >= size + 50 * LINE_BYTES, 20_000);
      renameSync(path, `${path}.${k}`);
      writeFileSync(path, '');
      await waitFor(() => ended || readFileSync(`${path}.${k}`).length >= size + 100 * LINE_BYTES, 20_000);
      if (!ended) await writer!.reopen();
    }
    const last = startReader(path, state, out, 'end');
    await last.started;
    await writer!.done;
    expect(await waitFor(() => tally(recorded(out), 0, total).missing.length === 0, 30_000)).toBe(true);
    last.child.kill('SIGTERM');
    await once(last.child, 'exit');
    const all = recorded(out);
    const twice = all.length - total;
    console.log(`live: ${kills} kills with a rotation while down each, ${twice} line(s) delivered twice (bound ${kills} x ${BOUND})`);
    expect(tally(all, 0, total).missing).toEqual([]);
    expect(twice).toBeLessThanOrEqual(kills * BOUND);
  }, 240_000);
});
