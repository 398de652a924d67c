/**
 * The server's diagnostics are `rulec check`'s: same codes, messages and ranges, over a set of
 * broken files and every golden case that has an expected.diag; included files' problems are
 * published on the included file, read from its unsaved buffer when it is open.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { tempDir } from '../cli/run-cli.js';
import { startClient, type TestClient } from './lsp-client.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const uri = (path: string): string => pathToFileURL(path).href;

/** Broken files, each with what makes it so; `common.rules` is included by `includes.rules`. */
const BROKEN: Record<string, string> = {
  'unknown-key.rules': '[SSH]\npath = /var/log/auth.log\nregx = Failed (\\S+)\nupbound_action = /bin/true\n',
  'bad-values.rules': '[A]\npath = /x\nupbound_freq = 5/\nfile_type = pipe\nusecrc = maybe\nupbound_action = /bin/true\ntime_zone = Europe/Berln\n',
  'bad-regex.rules': '[A]\npath = /x\nregex = (unclosed\nupbound_action = /bin/true\n',
  'syntax.rules': 'watch <<__END\n    logfile /var/log/messages\n    do ignore\n        =~ /x\n',
  'quotes.rules': '[A]\npath = /x\nregex = (\\S+)\nupbound_action = /bin/echo \u201chello\u201d $1\n',
  'blocks.rules': 'set too ops@example.com\nwatcher <<__W\n  logfile /x\n__W\nmonitor <<__M\n  dri /etc\n__M\n',
  'includes.rules': 'source "common.rules"\nsource "missing.rules"\n[B]\npath = /y\nupbound_action = /bin/true\n',
  'common.rules': '[general]\nathread_count = 0\n[C]\nregex = x\n',
};

/** `rulec check --format json` of one file, run in this process. */
async function checkJson(path: string): Promise<unknown[]> {
  let out = '';
  await main(['check', '--format', 'json', path], { out: (text) => void (out += text), err: () => {} });
  return JSON.parse(out) as unknown[];
}

/** The server's diagnostics of every file as `rulec check --format json` prints them. */
function asCheckJson(client: TestClient): unknown[] {
  const latest = new Map<string, (typeof client.published)[number]>();
  for (const p of client.published) latest.set(p.uri, p);
  return [...latest.values()]
    .filter((p) => p.diagnostics.length > 0)
    .flatMap((p) =>
      p.diagnostics.map((d) => ({
        file: fileURLToPath(p.uri),
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: ({ 1: 'error', 2: 'warning', 3: 'info' } as Record<number, string>)[d.severity!],
        code: d.code,
        message: d.message,
      })),
    )
    .sort(byPlace);
}

/** An editor shows diagnostics by place, not in the order they came: compare them so. */
function byPlace(a: unknown, b: unknown): number {
  const key = (d: unknown): string => JSON.stringify(Object.entries(d as object).sort());
  const [x, y] = [a as { file: string; line: number; column: number }, b as { file: string; line: number; column: number }];
  return x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column || key(a).localeCompare(key(b));
}

describe('lsp diagnostics', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir, remove } = tempDir('rulec-lsp-'));
    for (const [name, text] of Object.entries(BROKEN)) writeFileSync(join(dir, name), text);
    const golden = join(REPO, 'test/golden');
    mkdirSync(join(dir, 'golden'));
    for (const name of readdirSync(golden)) {
      if (existsSync(join(golden, name, 'expected.diag'))) writeFileSync(join(dir, 'golden', `${name}.rules`), readFileSync(join(golden, name, 'input.rules')));
    }
  });
  afterAll(() => remove());

  const cases = [...Object.keys(BROKEN).filter((name) => name !== 'common.rules')];
  it.each(cases)('%s: the same findings as rulec check', async (name) => {
    const path = join(dir, name);
    const expected = await checkJson(path);
    expect(expected.length).toBeGreaterThan(0);
    const client = await startClient(null);
    try {
      client.open(uri(path), readFileSync(path, 'utf8'));
      for (const file of new Set([path, ...expected.map((d) => (d as { file: string }).file)])) await client.diagnostics(uri(file));
      expect(asCheckJson(client)).toEqual([...expected].sort(byPlace));
    } finally {
      client.close();
    }
  });

  it('golden cases with an expected.diag: the same findings as rulec check', async () => {
    const names = readdirSync(join(dir, 'golden'));
    expect(names).toContain('broken-mix.rules');
    const client = await startClient(null);
    try {
      for (const name of names) {
        const path = join(dir, 'golden', name);
        client.published.length = 0;
        client.open(uri(path), readFileSync(path, 'utf8'));
        await client.diagnostics(uri(path), 1);
        const expected = await checkJson(path);
        expect(expected.length).toBeGreaterThan(0);
        expect(asCheckJson(client)).toEqual(expected.sort(byPlace));
      }
    } finally {
      client.close();
    }
  });

  it('shows an included file\'s problems on that file, read from its unsaved buffer, as the user types', async () => {
    const entry = join(dir, 'includes.rules');
    const common = join(dir, 'common.rules');
    const client = await startClient(uri(dir));
    try {
      client.open(uri(entry), readFileSync(entry, 'utf8'));
      const first = await client.diagnostics(uri(common));
      expect(first.diagnostics.map((d) => d.code).sort()).toEqual(['R302', 'R306', 'R322']);
      const own = await client.diagnostics(uri(entry));
      // Names relative to the workspace folder, as `rulec check` run there prints them.
      expect(own.diagnostics.map((d) => d.message)).toContain('source file not found: missing.rules');

      // The included file opened and edited, not saved: its buffer is what counts.
      client.open(uri(common), readFileSync(common, 'utf8'));
      const seen = client.published.length;
      client.change(uri(common), 2, '[general]\nathread_count = 2\n[C]\nregex = x\npath = /c\nupbound_action = /bin/true\nbogus = 1\n');
      const edited = await client.diagnostics(uri(common), 2, seen);
      expect(edited.diagnostics.map((d) => [d.code, d.message, d.range.start.line])).toEqual([['R301', 'unknown key `bogus`', 6]]);
      expect(readFileSync(common, 'utf8')).toBe(BROKEN['common.rules']);
    } finally {
      client.close();
    }
  });
});
