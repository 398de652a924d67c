import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeControl } from '../../../../runtime/log/escape.js';
import { LineJudge, type JudgeGroup } from '../../../../runtime/sources/watch/line-judge.js';
import { scanWatch } from '../../../../runtime/sources/watch/watch-scan.js';
import { WatchPositions, type WatchPosition } from '../../../../runtime/sources/watch/watch-position.js';

const re = (source: string, negated = false) => ({ negated, test: (line: string) => new RegExp(source).test(line) });
const group = (...operands: ReturnType<typeof re>[]): JudgeGroup => ({ operands });

describe('watch passes over a real log', () => {
  let dir: string;
  let log: string;
  let positions: WatchPositions;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-watch-'));
    log = join(dir, 'syslog');
    positions = new WatchPositions(join(dir, 'state'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** One report: the lines reported, the position saved as finish() would. */
  async function pass(judge: LineJudge, trim = false): Promise<string> {
    const { position } = positions.load(log, 'w.txt');
    let text = '';
    const result = await scanWatch({ logfile: log, trim }, judge, position, (t) => void (text += Buffer.from(t).toString()));
    if (result.position !== null) positions.save(log, 'w.txt', result.position);
    return text;
  }

  it('reports unusual lines once: the next pass starts where the last stopped, and waits for an unfinished line', async () => {
    const judge = new LineJudge([group(re('MARK')), group(re('sshd'), re('session opened'))], []);
    writeFileSync(log, 'one\n-- MARK --\nsshd: session opened for root\nsshd: session closed\ntwo');
    expect(await pass(judge)).toBe('one\nsshd: session closed\n');
    appendFileSync(log, ' halves\nthree\n');
    expect(await pass(judge)).toBe('two halves\nthree\n');
    expect(await pass(judge)).toBe('');
  });

  it('reads the rest of a rotated log first, then the new one from its start', async () => {
    const judge = new LineJudge([group(re('^noise'))], []);
    writeFileSync(log, 'before\n');
    expect(await pass(judge)).toBe('before\n');
    appendFileSync(log, 'late in old file\nnoise\n');
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'first in new file\n');
    const text = await pass(judge);
    expect(text.split('\n')).toEqual([
      'late in old file',
      '[rulec: the lines above came from syslog.1, the rotated syslog; those below from the new file]',
      'first in new file',
      '',
    ]);
    expect(await pass(judge)).toBe('');
  });

  it('says so when the rotated file is gone, and when the log was truncated', async () => {
    const judge = new LineJudge([], []);
    writeFileSync(log, 'a\n');
    await pass(judge);
    // The new file exists before the old is removed, so it cannot reuse its inode.
    writeFileSync(`${log}.new`, 'b\n');
    rmSync(log);
    renameSync(`${log}.new`, log);
    expect(await pass(judge)).toMatch(/^\[rulec: .*rotated since the last report and the rotated file was not found.*\]\nb\n$/);
    truncateSync(log, 0);
    writeFileSync(log, 'c\n');
    expect(await pass(judge)).toMatch(/^\[rulec: .*truncated or rewritten.*\]\nc\n$/);
  });

  it('with filters reports only lines a filter matched and no ignore did; trims; escapes control characters', async () => {
    const judge = new LineJudge([group(re('harmless'))], [group(re('ERROR')), group(re('^disk'), re('full', true))]);
    writeFileSync(log, '  ERROR one  \nERROR harmless\ninfo\ndisk ok\ndisk full\nERROR \x1b[2J\\x1b\n');
    expect(await pass(judge, true)).toBe('ERROR one\ndisk ok\nERROR \\x1b[2J\\\\x1b\n');
  });

  it('writes each reported line as escapeControl would, whether copied from the chunk or encoded: CRLF, trimmed ends, tabs, backslashes, UTF-8', async () => {
    const shapes = ['plain %', '  lead %', 'trail %  ', 'tab\t%', 'back\\slash %', 'caf\u00e9 %', 'crlf %\r', 'esc \x1b[1m %', 'ign %', '', ' '];
    const raw: string[] = [];
    for (let i = 0; i < 6000; i++) raw.push(shapes[(i * 7 + (i >> 3)) % shapes.length]!.replace('%', String(i)));
    writeFileSync(log, `${raw.join('\n')}\n`);
    for (const trim of [false, true]) {
      positions = new WatchPositions(join(dir, `state-${trim}`));
      const judge = new LineJudge([group(re('^ign'))], []);
      const blank = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;
      const want = raw
        .map((line) => line.replace(/\r$/, ''))
        .map((line) => (trim ? line.replace(blank, '') : line))
        .filter((line) => !line.startsWith('ign'))
        .map((line) => `${escapeControl(line)}\n`)
        .join('');
      expect(await pass(judge, trim)).toBe(want);
    }
  });

  it('stops at its size bound on a batch boundary and goes on from there next time', async () => {
    const judge = new LineJudge([], []);
    writeFileSync(log, Array.from({ length: 30000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const { position } = positions.load(log, 'w.txt');
    let first = '';
    const result = await scanWatch({ logfile: log, trim: false }, judge, position, (t) => void (first += Buffer.from(t).toString()), { maxReportBytes: 1000 });
    expect(result.complete).toBe(false);
    expect(first).toMatch(/\[rulec: this report stops after \d+ bytes of lines; the next one goes on from there\]\n$/);
    positions.save(log, 'w.txt', result.position as WatchPosition);
    const rest = await pass(judge);
    const seen = [...first.split('\n'), ...rest.split('\n')].filter((l) => l.startsWith('line '));
    expect(seen).toHaveLength(30000);
    expect(new Set(seen).size).toBe(30000);
  });

  it('starts afresh, saying why, from a corrupt position file', async () => {
    const judge = new LineJudge([], []);
    writeFileSync(log, 'x\n');
    await pass(judge);
    const file = join(dir, 'state', (await import('node:fs')).readdirSync(join(dir, 'state'))[0]!);
    writeFileSync(file, '{"format":1,');
    expect(positions.load(log, 'w.txt')).toEqual({ position: null, problem: 'the saved position is corrupt: reading from the start' });
  });
});
