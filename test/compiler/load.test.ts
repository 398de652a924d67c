import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Statement } from '../../grammar/ast.js';
import { LineIndex } from '../../grammar/diagnostic.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';
import { loadProgram, MAX_RULE_FILE_BYTES, nodeHost, resolveInclude } from '../../compiler/load.js';
import type { LoadHost } from '../../compiler/load.js';
import type { Program } from '../../compiler/program.js';

let root: string;
/** Real files on disk under the temp root, named relative to it as a user's cwd would. */
const host: LoadHost = { readFile: (name) => nodeHost.readFile(join(root, name)) };

/** Writes files under the temp root; the program is then loaded by names relative to it. */
function files(map: Record<string, string>): void {
  for (const [name, text] of Object.entries(map)) {
    const path = join(root, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
}

function where(program: Program, d: Diagnostic): string {
  const text = program.files.get(d.span.file)?.text ?? '';
  const p = new LineIndex(text).position(d.span.start);
  return `${d.span.file}:${p.line}:${p.column} ${d.code}`;
}

function names(statements: readonly Statement[]): string[] {
  return statements.map((s) => (s.kind === 'command' || s.kind === 'block' ? `${s.name.value} ${s.args.map((a) => a.value).join(' ')}` : s.kind === 'section' ? `[${s.name}]` : s.kind));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rulec-load-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadProgram', () => {
  it('replaces each source line by the included statements, relative to the including file', () => {
    files({
      'main.rules': 'set to ops\nsource "conf/common.rules"\nset from me\n',
      'conf/common.rules': '[item]\npath = /x\nsource ../shared/last.rules\n',
      'shared/last.rules': 'set subject report\n',
    });
    const r = loadProgram('main.rules', host);
    expect(r.diagnostics).toEqual([]);
    expect([...r.value.files.keys()]).toEqual(['main.rules', 'conf/common.rules', 'shared/last.rules']);
    expect(r.value.entry).toBe('main.rules');
    expect(names(r.value.statements)).toEqual(['set to ops', '[item]', 'set subject report', 'set from me']);
    // Spans of included statements point into their own file.
    expect(r.value.statements[2]!.span.file).toBe('shared/last.rules');
  });

  it('keeps names relative as given, never absolute', () => {
    files({ 'a/main.rules': 'source "./b.rules"\n', 'a/b.rules': 'set x y\n' });
    const r = loadProgram('a/main.rules', host);
    expect([...r.value.files.keys()]).toEqual(['a/main.rules', 'a/b.rules']);
    expect(JSON.stringify([...r.value.files.keys()])).not.toContain(root);
  });

  it('reports a missing file at the source line (R205) and loads the rest', () => {
    files({ 'main.rules': 'set a b\n  source "nope.rules"\nset c d\n' });
    const r = loadProgram('main.rules', host);
    expect(r.diagnostics.map((d) => where(r.value, d))).toEqual(['main.rules:2:3 R205']);
    expect(r.diagnostics[0]!.message).toBe('source file not found: nope.rules');
    expect(names(r.value.statements)).toEqual(['set a b', 'set c d']);
  });

  it('reports an include cycle at the source line that closes it (R206)', () => {
    files({
      'main.rules': 'source a.rules\n',
      'a.rules': 'set in a\nsource sub/b.rules\n',
      'sub/b.rules': 'set in b\nsource ../a.rules\n',
    });
    const r = loadProgram('main.rules', host);
    expect(r.diagnostics.map((d) => where(r.value, d))).toEqual(['sub/b.rules:2:1 R206']);
    expect(r.diagnostics[0]!.message).toBe('source include cycle: a.rules → sub/b.rules → a.rules');
    expect(names(r.value.statements)).toEqual(['set in a', 'set in b']);
  });

  it('reports a file that sources itself', () => {
    files({ 'main.rules': 'source ./main.rules\n' });
    const r = loadProgram('./main.rules', host);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['R206']);
  });

  it('includes a file twice when it is sourced twice, parsed once', () => {
    files({ 'main.rules': 'source c.rules\nsource c.rules\n', 'c.rules': 'set x y\nbad "quote\n' });
    const r = loadProgram('main.rules', host);
    expect(names(r.value.statements)).toEqual(['set x y', 'bad quote', 'set x y', 'bad quote']);
    expect(r.diagnostics.map((d) => where(r.value, d))).toEqual(['c.rules:2:5 R102']);
  });

  it('rejects source inside a block body at any depth (R207)', () => {
    files({ 'main.rules': 'watch <<W\n  source x.rules\n  inner <<I\n    source y.rules\n  I\nW\n' });
    const r = loadProgram('main.rules', host);
    expect(r.diagnostics.map((d) => where(r.value, d))).toEqual(['main.rules:2:3 R207', 'main.rules:4:5 R207']);
  });

  it('passes parse diagnostics of every file through', () => {
    files({ 'main.rules': 'source b.rules\n', 'b.rules': 'end\n' });
    const r = loadProgram('main.rules', host);
    expect(r.diagnostics.map((d) => where(r.value, d))).toEqual(['b.rules:1:1 R203']);
  });

  it('reports a missing entry file', () => {
    const r = loadProgram('absent.rules', host);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['R205']);
    expect(r.value.statements).toEqual([]);
  });

  it('works with any host, e.g. an in-memory map', () => {
    const map = new Map([['m.rules', 'source "lib/x.rules"'], ['lib/x.rules', 'set a b']]);
    const r = loadProgram('m.rules', { readFile: (n) => map.get(n) });
    expect(names(r.value.statements)).toEqual(['set a b']);
  });
});

describe('hostile rule files', () => {
  const diskHost = (): LoadHost => ({ readFile: (name) => nodeHost.readFile(join(root, name)), read: (name) => nodeHost.read!(name.startsWith('/') ? name : join(root, name)) });

  it('`source "/dev/zero"` and friends: one R205 saying why, nothing read', () => {
    mkdirSync(join(root, 'dir.rules'));
    files({ 'main.rules': 'source "/dev/zero"\nsource "/dev/urandom"\nsource "dir.rules"\nset a b\n' });
    const r = loadProgram('main.rules', diskHost());
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['R205', 'source file cannot be read: /dev/zero (not a regular file: a character device)'],
      ['R205', 'source file cannot be read: /dev/urandom (not a regular file: a character device)'],
      ['R205', 'source file cannot be read: dir.rules (EISDIR: is a directory)'],
    ]);
    expect(names(r.value.statements)).toEqual(['set a b']);
  });

  it('a binary file is one R213 at its first NUL; a file that is not UTF-8 one R214 at the bad byte', () => {
    writeFileSync(join(root, 'bin.rules'), Buffer.concat([Buffer.from('\x7fELF'), Buffer.from([0, 1, 0xff, 0xfe]), Buffer.from('[x]\n'.repeat(1000))]));
    writeFileSync(join(root, 'latin1.rules'), Buffer.concat([Buffer.from('set a b\nset c d'), Buffer.from([0xe9]), Buffer.from('\n[y\n')]));
    files({ 'main.rules': 'source "bin.rules"\nsource "latin1.rules"\n' });
    const r = loadProgram('main.rules', diskHost());
    expect(r.diagnostics.map((d) => where(r.value, d))).toEqual(['bin.rules:1:5 R213', 'latin1.rules:2:8 R214']);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'source file is binary: bin.rules holds a NUL byte',
      'source file is not UTF-8: latin1.rules has a byte (at byte offset 15) that is not part of a UTF-8 character',
    ]);
  });

  it('an editor buffer or any host: a NUL is R213 and more than 2 MiB is R212, at the entry too', () => {
    const map = new Map([
      ['m.rules', 'source "big.rules"\nsource "nul.rules"\nset a b\n'],
      ['big.rules', 'x'.repeat(MAX_RULE_FILE_BYTES + 1)],
      ['nul.rules', 'set c d\nset a\u0000b\n[x]\n'],
    ]);
    const r = loadProgram('m.rules', { readFile: (n) => map.get(n) });
    expect(r.diagnostics.map((d) => where(r.value, d))).toEqual(['m.rules:1:1 R212', 'nul.rules:2:6 R213']);
    // Neither is parsed: nothing of theirs is in the program.
    expect(names(r.value.statements)).toEqual(['set a b']);
    const entry = loadProgram('big.rules', { readFile: (n) => map.get(n) });
    expect(entry.diagnostics.map((d) => [d.code, d.message])).toEqual([['R212', `rule file too large: big.rules is ${MAX_RULE_FILE_BYTES + 1} bytes, over the limit of 2 MiB`]]);
  });
});

describe('nodeHost', () => {
  it('strips a leading byte-order mark and reads UTF-8', () => {
    files({ 'bom.rules': '\ufeffset subject “x”\n' });
    expect(nodeHost.readFile(join(root, 'bom.rules'))).toBe('set subject “x”\n');
  });

  it('returns undefined for a missing file or a directory', () => {
    mkdirSync(join(root, 'dir'));
    expect(nodeHost.readFile(join(root, 'missing.rules'))).toBeUndefined();
    expect(nodeHost.readFile(join(root, 'dir'))).toBeUndefined();
  });
});

describe('resolveInclude', () => {
  it('resolves POSIX paths against the including file', () => {
    expect(resolveInclude('main.rules', 'x.rules')).toBe('x.rules');
    expect(resolveInclude('a/b/main.rules', '../c/./x.rules')).toBe('a/c/x.rules');
    expect(resolveInclude('a/main.rules', '/etc/rulec/x.rules')).toBe('/etc/rulec/x.rules');
  });
});
