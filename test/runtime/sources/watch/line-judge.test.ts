import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIgnoreLists } from '../../../../runtime/sources/watch/ignore-lists.js';
import { GramSample } from '../../../../runtime/sources/watch/key-choice.js';
import { LineJudge, type JudgeOperand } from '../../../../runtime/sources/watch/line-judge.js';
import { scanWatch } from '../../../../runtime/sources/watch/watch-scan.js';

/** Backtracks through every way to split the a's before the back reference fails: 2^30 steps unbounded. */
const HOSTILE = `${'a'.repeat(31)}`;

describe('LineJudge', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-judge-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function report(lines: readonly string[], judge: LineJudge): Promise<string> {
    const log = join(dir, 'log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    let text = '';
    await scanWatch({ logfile: log, trim: false }, judge, null, (bytes) => void (text += Buffer.from(bytes).toString()));
    return text;
  }

  it('runs a list pattern with a back reference under the deadline: a hostile line is reported, said so, and the rest judged', async () => {
    const list = join(dir, 'hostile');
    writeFileSync(list, '^((a+)+)\\1$\n^noise\n');
    const judge = new LineJudge([], [], readIgnoreLists([list]));
    const text = await report(['noise 1', 'aaaa', HOSTILE, 'kept', 'noise 2'], judge);
    expect(text.split('\n')).toEqual([HOSTILE, 'kept', '[rulec: 1 line is here unjudged: a pattern ran past its time bound on it (see rulec check\'s notes on the block\'s regexes)]', '']);
    expect(judge.unjudged).toBe(1);
  });

  it('runs a rule-file operand the compiler marked for the deadline the same way, in an ignore and in a filter', () => {
    const hostile: JudgeOperand = { negated: false, test: (line) => /^((a+)+)\1$/.test(line), deadline: true };
    const ignoring = new LineJudge([{ operands: [hostile] }], []);
    expect(ignoring.unusual('aaaa')).toBe(false);
    expect(ignoring.unusual(HOSTILE)).toBe(true);
    expect(ignoring.unjudged).toBe(1);
    const filtering = new LineJudge([], [{ operands: [hostile] }]);
    expect(filtering.unusual('aaab')).toBe(false);
    expect(filtering.unusual(HOSTILE)).toBe(true);
  });

  it('judges lines longer than 4 KiB as any other, under the deadline', async () => {
    const long = `${'x'.repeat(10_000)} sshd session opened`;
    const judge = new LineJudge([{ operands: [{ negated: false, test: (line) => /sshd session/.test(line), literals: ['sshd session'] }] }], []);
    expect(await report([long, `${'y'.repeat(10_000)} kept`], judge)).toBe(`${'y'.repeat(10_000)} kept\n`);
    expect(judge.unjudged).toBe(0);
  });

  it('finds a group by its operands\' literals: a line without them is not tried', () => {
    const test = (line: string): boolean => /sshd/.test(line);
    expect(new LineJudge([{ operands: [{ negated: false, test, literals: ['sshd'] }] }], []).unusual('sshd: hello')).toBe(false);
    // Literals say which lines can match at all: one no line holds keeps the group from being tried.
    expect(new LineJudge([{ operands: [{ negated: false, test, literals: ['zzzz'] }] }], []).unusual('sshd: hello')).toBe(true);
  });

  it('counts a key in the sample in either case, as the prefilter finds it', () => {
    const sample = new GramSample(['ftpd[1]: connection from 10.0.0.1', 'ftpd[2]: connection from 10.0.0.2', 'x']);
    expect(sample.bound(']: Connection from ')).toBeGreaterThanOrEqual(2);
    expect(sample.bound(' cups-lpd[')).toBe(0);
  });
});
