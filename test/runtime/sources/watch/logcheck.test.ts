/**
 * `ignore_from` with Debian's logcheck-database server lists, over the corpus's Linux logs,
 * reports exactly the lines logcheck's own pipeline keeps: trailing blanks stripped
 * (`sed 's/[[:space:]]\+$//'`), then `grep -E --text -v -f` with each list run-parts names.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControl } from '../../../../runtime/log/escape.js';
import { readIgnoreLists } from '../../../../runtime/sources/watch/ignore-lists.js';
import { LineJudge } from '../../../../runtime/sources/watch/line-judge.js';
import { scanWatch } from '../../../../runtime/sources/watch/watch-scan.js';

const SERVER = '/etc/logcheck/ignore.d.server';
const CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/', import.meta.url));

/**
 * logcheck's pipeline on `log`, as its script runs it: cleanrules over the files run-parts lists,
 * then `grep -E --text -v -f` in the C locale (one grep over the cleaned files together: a line kept by each in
 * turn is a line none of them matches).
 */
function logcheckKeeps(log: string, dir: string): string[] {
  const files = execFileSync('run-parts', ['--list', SERVER], { encoding: 'utf8' }).trim().split('\n');
  const script = [
    'log="$1"; shift',
    `for rules in "$@"; do grep -E --text -v '^[[:space:]]*$|^#' "$rules"; done > "$D/cleaned"`,
    `sed -e 's/[[:space:]]\\+$//' "$log" | grep -E --text -v -f "$D/cleaned"`,
  ].join('\n');
  const out = spawnSync('bash', ['-c', script, 'logcheck', log, ...files], { env: { ...process.env, D: dir, LC_ALL: 'C' }, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.split('\n').slice(0, -1);
}

describe('ignore_from with logcheck-database over real logs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-logcheck-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['loghub/Linux_2k.log', 'loghub/full/Linux.log'])('reports what logcheck keeps of %s', async (name) => {
    // A copy that ends in a newline: a watch leaves a last line without one for the next report.
    const log = join(dir, 'input.log');
    const text0 = readFileSync(join(CORPUS, name));
    writeFileSync(log, text0.at(-1) === 0x0a ? text0 : Buffer.concat([text0, Buffer.from('\n')]));
    const expected = logcheckKeeps(log, dir);
    const judge = new LineJudge([], [], readIgnoreLists([SERVER]));
    let text = '';
    const result = await scanWatch({ logfile: log, trim: true }, judge, null, (t) => void (text += Buffer.from(t).toString()), { maxReportBytes: Infinity });
    const reported = text.split('\n').slice(0, -1);
    expect(reported).toEqual(expected.map(escapeControl));
    // Real work was done: most lists have lines, and some lines were ignored.
    expect(result.lines).toBeGreaterThan(reported.length);
  }, 120_000);

  it('skips the files run-parts skips, and reads a single list file', () => {
    writeFileSync(join(dir, 'only'), '# comment\n\n^keep me not$\n');
    expect(readIgnoreLists([join(dir, 'only')]).map((p) => p.source)).toEqual(['^keep me not$']);
    writeFileSync(join(dir, 'x.dpkg-old'), '(\n');
    expect(() => readIgnoreLists([dir])).not.toThrow();
  });

  it('compiles a list once per process while the file stays the same, again once it changed', () => {
    const list = join(dir, 'kept');
    writeFileSync(list, '^one$\n');
    const first = readIgnoreLists([list]);
    expect(readIgnoreLists([list])[0]).toBe(first[0]);
    writeFileSync(list, '^one$\n^two$\n');
    expect(readIgnoreLists([list]).map((p) => p.source)).toEqual(['^one$', '^two$']);
    rmSync(list);
  });

  it('names the file, line and column of a pattern grep -E would refuse (R365)', () => {
    const bad = join(dir, 'bad');
    writeFileSync(bad, '^fine$\n# fine too\nbroken [a-\n');
    expect(() => readIgnoreLists([bad])).toThrow(`${bad}:3:8: error[R365]: unmatched [`);
    rmSync(bad);
  });
});
