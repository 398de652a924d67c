import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../../runtime/sources/tail/line-splitter.js';

const b = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

describe('LineSplitter', () => {
  it('holds a partial line until its newline and counts consumed bytes only for complete lines', () => {
    const sp = new LineSplitter(1024, 100);
    expect(sp.push(b('one\ntw')).lines).toEqual(['one']);
    expect(sp.consumed).toBe(104);
    expect(sp.held).toBe(2);
    expect(sp.push(b('o')).lines).toEqual([]);
    expect(sp.push(b('\n')).lines).toEqual(['two']);
    expect(sp.consumed).toBe(108);
  });

  it('strips one trailing CR and keeps empty lines', () => {
    const sp = new LineSplitter(1024, 0);
    expect(sp.push(b('a\r\n\n\r\r\nb\r')).lines).toEqual(['a', '', '\r']);
    expect(sp.push(b('\n')).lines).toEqual(['b']);
  });

  it('does not count a CRLF line of exactly the cap as cut, its CR in the same chunk or ending the one before', () => {
    const cap = 'a'.repeat(16);
    for (const chunks of [[`${cap}\r\n`], [`${cap}\r`, '\n'], [`${cap.slice(0, 8)}`, `${cap.slice(8)}\r`, '\nz\n']]) {
      const sp = new LineSplitter(16, 0);
      const results = chunks.map((c) => sp.push(b(c)));
      expect(results.flatMap((r) => r.lines).slice(0, 1), chunks.join('|')).toEqual([cap]);
      expect(results.reduce((n, r) => n + r.cut.length, 0), chunks.join('|')).toBe(0);
    }
    // A CR that no newline follows is part of the line, which is then one byte over the cap.
    const sp = new LineSplitter(16, 0);
    const results = [`${cap}\r`, 'x\nnext\n'].map((c) => sp.push(b(c)));
    expect(results.flatMap((r) => r.lines)).toEqual([cap, 'next']);
    expect(results.reduce((n, r) => n + r.cut.length, 0)).toBe(1);
    expect(sp.consumed).toBe(24);
  });

  it('decodes invalid UTF-8 as U+FFFD and a character split across chunks intact', () => {
    const sp = new LineSplitter(1024, 0);
    expect(sp.push(b([0x61, 0xff, 0xc3, 0x0a])).lines).toEqual(['a\ufffd\ufffd']);
    const euro = b('€\n');
    expect(sp.push(euro.subarray(0, 1)).lines).toEqual([]);
    expect(sp.push(euro.subarray(1)).lines).toEqual(['€']);
  });

  it('cuts a 1 MiB line fed in pieces to the cap once, drops the rest, and keeps later lines intact', () => {
    const cap = 64 * 1024;
    const sp = new LineSplitter(cap, 0);
    const piece = Buffer.alloc(100_000, 0x41);
    const out: string[] = [];
    let cuts = 0;
    for (let sent = 0; sent < 1024 * 1024; sent += piece.length) {
      const r = sp.push(piece);
      out.push(...r.lines);
      cuts += r.cut.length;
      expect(sp.held).toBeLessThanOrEqual(cap);
    }
    const tail = sp.push(b('AAA\nnext\n'));
    out.push(...tail.lines);
    cuts += tail.cut.length;
    expect(cuts).toBe(1);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('A'.repeat(cap));
    expect(out[1]).toBe('next');
    expect(sp.consumed).toBe(11 * 100_000 + 9);
    expect(sp.discarding).toBe(false);
  });

  it('does not split a multi-byte character at the cap', () => {
    const sp = new LineSplitter(16, 0);
    const r = sp.push(b(`${'a'.repeat(15)}€tail\n`));
    expect(r.lines).toEqual(['a'.repeat(15)]);
    expect(r.cut.length).toBe(1);
  });

  it('resumes in discarding mode by dropping up to the next newline', () => {
    const sp = new LineSplitter(1024, 50, true);
    expect(sp.push(b('rest of an old line\nfresh\n')).lines).toEqual(['fresh']);
    expect(sp.consumed).toBe(50 + 26);
  });

  it('flush returns the held partial line and reset drops it', () => {
    const sp = new LineSplitter(1024, 0);
    sp.push(b('x\npartial'));
    expect(sp.flush()).toBe('partial');
    expect(sp.consumed).toBe(9);
    sp.push(b('held'));
    expect(sp.reset(0)).toBe(4);
    expect(sp.push(b('new\n')).lines).toEqual(['new']);
    expect(sp.consumed).toBe(4);
  });

  it('gives the same lines when an ASCII chunk spans many decoding segments, lines crossing their edges', () => {
    // Lengths from empty to past one 32 KiB segment, some with CRLF, as one 400 KB chunk.
    const lengths = [0, 1, 12, 13, 32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1, 40_000, 7, 65_000];
    const want: string[] = [];
    let text = '';
    for (let i = 0; want.length < 60; i++) {
      const line = String.fromCharCode(0x21 + (i % 90)).repeat(lengths[i % lengths.length]!);
      want.push(line);
      text += line + (i % 3 === 0 ? '\r\n' : '\n');
    }
    const chunk = b(text);
    const { lines, ascii } = new LineSplitter(64 * 1024, 0).push(chunk);
    expect(ascii).not.toBeNull();
    expect(lines).toEqual(want);
    chunk.fill(0x2e); // the read buffer is reused: lines must not change with it
    expect(lines).toEqual(want);
  });

  it('tells where each line of an ASCII chunk lies in it, and nothing for lines it joined or cut, or for other chunks', () => {
    const sp = new LineSplitter(8, 0);
    const chunk = b('held\nab\r\n\nlonger than eight\nok\npart');
    const { lines, ascii } = sp.push(chunk.subarray(5));
    expect(lines).toEqual(['ab', '', 'longer t', 'ok']);
    const placed = lines.map((_, k) => (ascii!.starts[k] === -1 ? null : chunk.subarray(5).toString('latin1', ascii!.starts[k], ascii!.ends[k])));
    expect(placed).toEqual(['ab', '', null, 'ok']);
    expect(ascii!.bytes[ascii!.starts[0]!]).toBe(0x61); // the bytes are the chunk's
    const next = sp.push(b('ial\nx\n'));
    expect(next.lines).toEqual(['partial', 'x']);
    expect([next.ascii!.starts[0], next.ascii!.starts[1]]).toEqual([-1, 4]);
    expect(sp.push(b('é\n')).ascii).toBeNull();
    expect(sp.push(b('no nl')).ascii).toBeNull();
  });

  it('places the ASCII lines of a chunk that holds other bytes too, and only those', () => {
    // 300 KB: one line with é far into the chunk, one whose block holds é but which is ASCII.
    const want: string[] = [];
    for (let i = 0; i < 3000; i++) want.push(i === 1500 ? `line ${i} caf\u00e9` : `line ${i} ${'x'.repeat(90)}`);
    const chunk = b(`${want.join('\n')}\n`);
    const { lines, ascii } = new LineSplitter(64 * 1024, 0).push(chunk);
    expect(lines).toEqual(want);
    expect(ascii).not.toBeNull();
    const placed = lines.map((_, k) => (ascii!.starts[k] === -1 ? null : chunk.toString('latin1', ascii!.starts[k], ascii!.ends[k])));
    expect(placed.filter((line) => line === null)).toHaveLength(1);
    expect(placed[1500]).toBeNull();
    expect(placed[1499]).toBe(want[1499]);
    expect(placed[1501]).toBe(want[1501]);
    expect(placed.every((line, k) => line === null || line === want[k])).toBe(true);
  });
});
