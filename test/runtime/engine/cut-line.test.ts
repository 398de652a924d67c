import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileToJs } from '../../../compiler/pipeline.js';
import { LiveClock } from '../../../runtime/clock/clock.js';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import type { RuleModule } from '../../../runtime/contract.js';
import { DryRun } from '../../../runtime/daemon/dry-run.js';
import { evaluateModuleScript } from '../../../runtime/daemon/loader.js';
import { Supervisor } from '../../../runtime/daemon/supervisor.js';
import { cutLine, endBlind } from '../../../runtime/engine/cut-line.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { LineSplitter } from '../../../runtime/sources/tail/line-splitter.js';
import { waitFor } from '../../helpers/wait-for.js';
import { item, memoryLog, moduleOf, RecordingSink } from './helpers.js';

/** Compiles rule text as `rulec run` does and loads the module. */
function compiled(dir: string, text: string): RuleModule {
  const file = join(dir, 'cut.rules');
  writeFileSync(file, text);
  const js = compileToJs(file, undefined, 'script').js;
  if (js === null) throw new Error('rules do not compile');
  const loaded = evaluateModuleScript(js, file);
  if (loaded.value === null) throw new Error(loaded.error);
  return loaded.value;
}

describe('cutLine', () => {
  it.each([
    ['abcdef', 4, 'abcd'],
    ['abc', 3, 'abc'],
    ['ééé', 4, 'éé'],
    ['ééé', 5, 'éé'],
    ['€€', 5, '€'],
    ['a😀b', 4, 'a'],
    ['a😀b', 5, 'a😀'],
    ['a\ud800b', 4, 'a\ud800'],
  ])('%j to %i bytes is %j', (line, max, expected) => {
    expect(cutLine(line, max)).toBe(expected);
  });

  it('cuts as the tailer cuts the bytes it reads (seeded, 2000 lines)', () => {
    let s = 5;
    const random = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['a', 'Z', ' ', 'é', 'ß', '€', '中', '😀', '\u{10FFFF}'];
    for (let n = 0; n < 2000; n++) {
      let line = '';
      for (let k = Math.floor(random() * 40); k > 0; k--) line += alphabet[Math.floor(random() * alphabet.length)];
      const max = 1 + Math.floor(random() * 60);
      const read = new LineSplitter(max, 0).push(Buffer.from(`${line}\n`)).lines[0] ?? '';
      expect(cutLine(line, max), JSON.stringify([line, max])).toBe(read);
    }
  });

  it('counts an invalid byte as the one byte it was, not as the U+FFFD it decodes to (seeded, 2000 lines)', () => {
    let s = 7;
    const random = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pieces = [[0x61], [0x20], [0xff], [0x80], [0xc3], [0xc3, 0xa9], [0xe2, 0x82], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80]];
    for (let n = 0; n < 2000; n++) {
      const bytes: number[] = [];
      for (let k = Math.floor(random() * 40); k > 0; k--) bytes.push(...pieces[Math.floor(random() * pieces.length)]!);
      const max = 1 + Math.floor(random() * 60);
      const read = new LineSplitter(max, 0).push(Buffer.from([...bytes, 0x0a])).lines[0] ?? '';
      // What the tailer let through is never cut again at the same line_max.
      expect(cutLine(read, max), JSON.stringify([bytes, max])).toBe(read);
      // A line of single invalid bytes is cut exactly at line_max of them.
      expect(cutLine('\ufffd'.repeat(max + 5), max)).toBe('\ufffd'.repeat(max));
    }
  });
});

describe('line_max counts bytes wherever a line comes from', () => {
  // 5 × é is 10 bytes: with line_max = 20 the item sees `ééééé` and `fail from ` only.
  const line = 'éééééfail from abc';
  const cutItem = item({ upbound: null, lineMax: 20 });

  it('in the engine, as the tailer would have cut it', () => {
    const sink = new RecordingSink();
    const engine = new Engine(moduleOf(cutItem), { clock: new ManualClock(0), actions: sink, log: memoryLog().log });
    engine.onLines(0, [line, 'ascii fail from abc']);
    expect(sink.requests.map((r) => r.line)).toEqual(['ascii fail from abc']);
    expect(engine.stats().items[0]).toMatchObject({ matched: 1, cutLines: 1 });
  });

  it('in rulec test (DryRun)', () => {
    const matched: number[] = [];
    const run = new DryRun(moduleOf(cutItem), { replay: false, startMs: 0, matches: true, onEvent: (e) => void (e.type === 'match' && matched.push(e.line)) });
    run.feed({ lines: [line, 'ascii fail from abc'], endOffset: 0 });
    expect(matched).toEqual([2]);
  });
});

describe('endBlind', () => {
  it.each([
    ['a$', 'a[]'],
    ['^(a+)+$', '^(a+)+[]'],
    ['x$|y', 'x[]|y'],
    ['(?:ssh2$)', '(?:ssh2[])'],
    ['[$]x', null],
    ['\\$x', null],
    ['[\\]$]$', '[\\]$][]'],
    ['\\\\$', '\\\\[]'],
    ['a[^\\x0A]*', null],
  ])('%s has its end anchors never match: %s', (source, blind) => {
    expect(endBlind(source)).toBe(blind);
    // Still a valid pattern, and one that never matches at the end of a text.
    if (blind !== null) expect(new RegExp(blind, 'u').test('x')).toBe(false);
  });
});

describe('a cut line never looks whole to an end-anchored pattern', () => {
  const rules = (path: string): string => [
    '[general]\nstart = beginning\n',
    `[WHOLE]\npath = ${path}\nregex = ^a+$\nupbound_action = /bin/true\n`,
    `[NESTED]\npath = ${path}\nregex = ^(a+)+\\z\nupbound_action = /bin/true\n`,
    `[START]\npath = ${path}\nregex = ^a{10}\nupbound_action = /bin/true\n`,
    `[SHORT]\npath = ${path}\nline_max = 20\nregex = ^a+$\nupbound_action = /bin/true\n`,
  ].join('\n');
  // A 1 MB line of `a`s ending in `!` (cut by the reader at 64 KiB), one of 23 bytes (cut for
  // SHORT's line_max only; short enough for NESTED to backtrack through), and a short one every
  // pattern truly matches.
  const log = `${'a'.repeat(1_000_000)}!\n${'a'.repeat(22)}!\naaa\n`;
  const expected = { WHOLE: 1, NESTED: 1, START: 2, SHORT: 1 };

  it('in the daemon: the tailer\'s cut and an item\'s line_max, end anchors and \\z alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-cut-'));
    try {
      const path = join(dir, 'long.log');
      writeFileSync(path, log);
      const sink = new RecordingSink();
      const supervisor = new Supervisor({ clock: new LiveClock(), actions: sink, log: memoryLog().log });
      await supervisor.start([compiled(dir, rules(path))]);
      expect(await waitFor(() => supervisor.stats().linesRead === 3, 20_000)).toBe(true);
      await supervisor.stop();
      const fired: Record<string, number> = {};
      for (const r of sink.requests) fired[r.item.name] = (fired[r.item.name] ?? 0) + 1;
      expect(fired).toEqual(expected);
      // What START fired on is the cut text: the first 64 KiB of the line.
      expect(sink.requests.filter((r) => r.item.name === 'START').map((r) => r.line.length)).toEqual([65536, 23]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in rulec test (DryRun), which also counts the cut lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-cut-'));
    try {
      const module = compiled(dir, rules('/var/log/x.log'));
      const matched: Record<string, number> = {};
      const run = new DryRun(module, { replay: false, startMs: 0, matches: true, onEvent: (e) => void (e.type === 'match' && (matched[e.item] = (matched[e.item] ?? 0) + 1)) });
      const splitter = new LineSplitter(DryRun.readLineMax(module), 0);
      run.feed({ ...splitter.push(Buffer.from(log)), endOffset: log.length });
      const summary = run.finish();
      expect(matched).toEqual(expected);
      // Cut for every item: the long line; for SHORT the second line too.
      expect(summary.cutLines).toBe(1);
      expect(summary.items.find((i) => i.name === 'SHORT')?.cutLines).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
