import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LineStream, type LineBatch } from '../../../runtime/sources/line-stream.js';
import { LineSplitter } from '../../../runtime/sources/tail/line-splitter.js';
import { corpusLines } from '../../helpers/corpus.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-stream-'));
  made.push(dir);
  return dir;
}

async function collect(stream: LineStream): Promise<LineBatch[]> {
  const batches: LineBatch[] = [];
  // Copied: a batch's ascii bytes are only valid until the next one is asked for.
  for await (const batch of stream) batches.push({ ...batch, lines: [...batch.lines], ascii: null });
  return batches;
}

describe('LineStream', () => {
  it('hands a real log over in batches: the lines the tailer splits, with offsets ending at each batch and at the file size', async () => {
    const dir = scratch();
    const file = join(dir, 'auth.log');
    // 1.2 MB of real lines, so it takes several reads.
    const text = `${Array.from({ length: 8 }, () => corpusLines('elastic/auth.log').join('\n')).join('\n')}\n`;
    writeFileSync(file, text);
    const stream = LineStream.open(file);
    const batches = await collect(stream);
    expect(batches.length).toBeGreaterThan(2);
    expect(batches.flatMap((b) => b.lines)).toEqual(text.slice(0, -1).split('\n'));
    const ends = batches.map((b) => b.endOffset);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    // Each batch ends just past a newline.
    const raw = Buffer.from(text);
    for (const end of ends) expect(raw[end - 1]).toBe(0x0a);
    expect(stream.position).toEqual({ offset: Buffer.byteLength(text), discarding: false });
    expect(stream.cutLines).toBe(0);
    expect(stream.stat?.isFile()).toBe(true);
  });

  it('delivers an unterminated last line (CR dropped), or keeps it for a later read from the position', async () => {
    const dir = scratch();
    const file = join(dir, 'x.log');
    writeFileSync(file, 'one\r\ntwo\nthr');
    const read = await collect(LineStream.open(file));
    expect(read.flatMap((b) => b.lines)).toEqual(['one', 'two', 'thr']);
    writeFileSync(file, 'one\r\ntwo\nthree\r');
    expect((await collect(LineStream.open(file))).flatMap((b) => b.lines)).toEqual(['one', 'two', 'three']);

    writeFileSync(file, 'one\ntwo\nthr');
    const first = LineStream.open(file, { unterminated: 'keep' });
    expect((await collect(first)).flatMap((b) => b.lines)).toEqual(['one', 'two']);
    expect(first.position).toEqual({ offset: 8, discarding: false });
    appendFileSync(file, 'ee\nfour\n');
    const next = LineStream.open(file, { from: first.position, unterminated: 'keep' });
    expect((await collect(next)).flatMap((b) => b.lines)).toEqual(['three', 'four']);
    expect(next.position.offset).toBe(readFileSync(file).length);
  });

  it('cuts a 1 MB line at lineMax, says which line of its batch was cut and counts it, and keeps the lines around it whole', async () => {
    const dir = scratch();
    const file = join(dir, 'long.log');
    writeFileSync(file, `before\n${'a'.repeat(1_000_000)}!\nafter\n`);
    const stream = LineStream.open(file, { lineMax: 1000 });
    const batches = await collect(stream);
    const lines = batches.flatMap((b) => b.lines);
    expect(lines).toEqual(['before', 'a'.repeat(1000), 'after']);
    const cut = batches.flatMap((b) => b.cut.map((i) => b.lines[i]));
    expect(cut).toEqual(['a'.repeat(1000)]);
    expect(stream.cutLines).toBe(1);
  });

  it('stops inside a cut line without its newline so that a later read drops the rest of it, not delivers it as a line', async () => {
    const dir = scratch();
    const file = join(dir, 'long.log');
    writeFileSync(file, `x\n${'b'.repeat(5000)}`);
    const first = LineStream.open(file, { lineMax: 100, unterminated: 'keep' });
    expect((await collect(first)).flatMap((b) => b.lines)).toEqual(['x', 'b'.repeat(100)]);
    expect(first.position).toEqual({ offset: 5002, discarding: true });
    appendFileSync(file, 'bbb\nnext\n');
    const next = LineStream.open(file, { lineMax: 100, from: first.position });
    expect((await collect(next)).flatMap((b) => b.lines)).toEqual(['next']);
  });

  it('reads a pipe as a stream, skipping the bytes before the offset, as the splitter splits them', async () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const bytes = Buffer.concat([Buffer.from('skip me\nfirst\r\n'), Buffer.from([0xff, 0x41, 0x0a]), Buffer.from('€ last')]);
    // A real writer process; the open below waits for it.
    const writer = spawn('sh', ['-c', 'cat > "$1"', 'sh', fifo], { stdio: ['pipe', 'ignore', 'inherit'] });
    writer.stdin.end(bytes);
    const stream = LineStream.open(fifo, { from: { offset: 8, discarding: false } });
    expect(stream.stat?.isFIFO()).toBe(true);
    const lines = (await collect(stream)).flatMap((b) => b.lines);
    const splitter = new LineSplitter(64 * 1024, 0);
    expect(lines).toEqual([...splitter.push(bytes.subarray(8)).lines, splitter.flush()]);
    expect(lines).toEqual(['first', '\ufffdA', '€ last']);
    expect(stream.position.offset).toBe(bytes.length);
  });

  it('refuses a directory and a missing file with their errno codes', () => {
    const dir = scratch();
    expect(() => LineStream.open(dir)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(() => LineStream.open(join(dir, 'none'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('closes the file when the loop is left early', async () => {
    const dir = scratch();
    const file = join(dir, 'x.log');
    writeFileSync(file, `${'line\n'.repeat(200_000)}`);
    const open = (): number => readdirSync('/proc/self/fd').length;
    const before = open();
    const stream = LineStream.open(file);
    expect(open()).toBe(before + 1);
    for await (const batch of stream) {
      expect(batch.lines.length).toBeGreaterThan(0);
      break;
    }
    expect(open()).toBe(before);
    expect(await collect(stream)).toEqual([]);
  });
});
