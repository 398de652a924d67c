/** Completion, hover, code actions, outline, definition, semantic tokens, formatting and the regex trial, through a real client. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, CompletionList, DocumentSymbol, Hover, Location, MarkupContent, SemanticTokens, TextEdit } from 'vscode-languageserver-protocol';
import { codes } from '../../grammar/codes.js';
import { ITEM_KEY_DOCS } from '../../compiler/check/key-docs.js';
import { formatRules } from '../../grammar/format.js';
import { tempDir } from '../cli/run-cli.js';
import { startClient, type TestClient } from './lsp-client.js';
import type { TrialResult } from '../../lsp/try-regex.js';

const uri = (path: string): string => pathToFileURL(path).href;

describe('lsp features', () => {
  let dir: string;
  let remove: () => void;
  let client: TestClient;
  beforeAll(async () => {
    ({ dir, remove } = tempDir('rulec-lsp-features-'));
    client = await startClient(uri(dir));
  });
  afterAll(() => {
    client.close();
    remove();
  });

  /** Opens `text` as `name` and waits for its first diagnostics. */
  async function open(name: string, text: string) {
    const path = join(dir, name);
    writeFileSync(path, text);
    client.open(uri(path), text);
    return { path, uri: uri(path), published: await client.diagnostics(uri(path), 1) };
  }
  const labels = (result: CompletionItem[] | CompletionList | null): string[] => (Array.isArray(result) ? result : result?.items ?? []).map((i) => i.label);
  const complete = (u: string, line: number, character: number) =>
    client.connection.sendRequest<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri: u }, position: { line, character } });

  it('completes the keys a section still takes, with their documentation, and block kinds', async () => {
    const doc = await open('complete.rules', '[SSH]\npath = /var/log/auth.log\n\n');
    const result = await complete(doc.uri, 2, 0);
    const items = Array.isArray(result) ? result : result!.items;
    expect(labels(result)).toEqual(expect.arrayContaining(['regex', 'upbound_freq', 'watch', 'set']));
    expect(labels(result)).not.toContain('path');
    // Items are not [general]: its own keys are not offered.
    expect(labels(result)).not.toContain('athread_count');
    const regex = items.find((i) => i.label === 'regex')!;
    expect((regex.documentation as MarkupContent).value).toContain(ITEM_KEY_DOCS.regex.what);
  });

  it('completes values: choices, booleans, time zones and units', async () => {
    const doc = await open('values.rules', '[A]\nfile_type = \nusecrc = \ntime_zone = Europe/\nline_max = 64\nrotate_wait = 5\n');
    expect(labels(await complete(doc.uri, 1, 12))).toEqual(['file', 'fifo']);
    expect(labels(await complete(doc.uri, 2, 9))).toEqual(expect.arrayContaining(['true', 'false', 'yes', 'no']));
    expect(labels(await complete(doc.uri, 3, 19))).toContain('Europe/Berlin');
    expect(labels(await complete(doc.uri, 4, 13))).toEqual(['64K', '64M', '64G', '64B']);
    expect(labels(await complete(doc.uri, 5, 15))).toContain('5m');
  });

  it('completes setting names and a block\'s directives', async () => {
    const doc = await open('blocks.rules', 'set \nwatch <<__W\n    logfile /x\n    \n__W\n');
    expect(labels(await complete(doc.uri, 0, 4))).toEqual(expect.arrayContaining(['to', 'pgp', 'smtp']));
    const directives = labels(await complete(doc.uri, 3, 4));
    expect(directives).toEqual(expect.arrayContaining(['description', 'mime_file', 'ignore', 'do']));
    expect(directives).not.toContain('logfile');
  });

  it('hovers keys with the docs\' text, and a diagnostic with its code\'s description and fix', async () => {
    const doc = await open('hover.rules', '[A]\npath = /x\nusecrc = maybe\nupbound_action = /bin/true\n');
    const onKey = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 1, character: 1 } });
    expect((onKey.contents as MarkupContent).value).toContain(ITEM_KEY_DOCS.path.what);
    const onValue = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 2, character: 10 } });
    expect((onValue.contents as MarkupContent).value).toContain(codes.R305.description);
    expect((onValue.contents as MarkupContent).value).toContain(codes.R305.fix);
  });

  it('offers the checks\' fixes: did you mean, typographic quotes, a ^ anchor', async () => {
    const doc = await open('fix.rules', '[A]\npath = /x\nregx = y\nregex = (\\d+)\\.\nupbound_action = /bin/echo \u201chi\u201d\n');
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: doc.uri },
      range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } },
      context: { diagnostics: doc.published.diagnostics },
    });
    const edits = actions.map((a) => [a.title, a.edit!.changes![doc.uri]![0]!.newText, a.edit!.changes![doc.uri]![0]!.range.start.line]);
    expect(edits).toEqual(expect.arrayContaining([
      ['Change to `regex`', 'regex', 2],
      ['Replace \u201c with "', '"', 4],
      ['Replace \u201d with "', '"', 4],
      ['Anchor the pattern at the start of the line (`^`)', '^', 3],
    ]));
  });

  it('outlines sections, blocks and groups', async () => {
    const doc = await open('outline.rules', '[A]\npath = /x\nwatch <<__W\n    logfile /x\n    do ignore\n        =~ /a/\n    end\n__W\n');
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: doc.uri } });
    expect(symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)])).toEqual([
      ['[A]', ['path']],
      ['watch', ['do ignore']],
    ]);
  });

  it('goes from `source` to the file and from a custom block to its `module` line', async () => {
    writeFileSync(join(dir, 'other.rules'), 'module My::Mod mine mod.mjs\n');
    const doc = await open('definition.rules', 'source "other.rules"\nmine <<__M\n__M\n');
    const definition = (line: number, character: number) =>
      client.connection.sendRequest<Location | null>('textDocument/definition', { textDocument: { uri: doc.uri }, position: { line, character } });
    expect((await definition(0, 10))!.uri).toBe(uri(join(dir, 'other.rules')));
    const alias = (await definition(1, 1))!;
    expect([alias.uri, alias.range.start]).toEqual([uri(join(dir, 'other.rules')), { line: 0, character: 15 }]);
  });

  it('gives semantic tokens: comments, sections, keys, patterns', async () => {
    const doc = await open('tokens.rules', '# c\n[A]\nregex = x+\n');
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: doc.uri } });
    // Five integers a token: line delta, start, length, type, modifiers (legend: comment, namespace, property, string, regexp...).
    expect(tokens.data).toEqual([0, 0, 3, 0, 0, 1, 1, 1, 1, 0, 1, 0, 5, 2, 0, 0, 8, 2, 4, 0]);
  });

  it('formats as rulec fmt does', async () => {
    const text = 'watch   <<__W\nlogfile   /x\n__W\n\n\n[A]\npath=/x\n';
    const doc = await open('format.rules', text);
    const edits = await client.connection.sendRequest<TextEdit[]>('textDocument/formatting', { textDocument: { uri: doc.uri }, options: { tabSize: 4, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe(formatRules(text, 'format.rules').value);
    expect(edits[0]!.newText).toBe('watch <<__W\n    logfile /x\n__W\n\n[A]\npath = /x\n');
  });

  it('runs the pattern under the cursor over the file\'s sample log and shows the captures', async () => {
    writeFileSync(join(dir, 'trial.pos.log'), 'Failed password for root from 10.0.0.1\nnothing here\nFailed password for bob from 10.0.0.2\n');
    const doc = await open('trial.rules', '[A]\npath = /nonexistent/auth.log\nregex = Failed password for (?<user>\\S+) from (\\S+)\nupbound_action = /bin/true\n');
    const result = await client.connection.sendRequest<TrialResult>('workspace/executeCommand', { command: 'rulec.tryRegex', arguments: [doc.uri, { line: 2, character: 10 }] });
    expect(result.problems).toEqual([]);
    expect(result.samples.map((s) => [s.file, s.lines, s.matched])).toEqual([[join(dir, 'trial.pos.log'), 3, 2]]);
    expect(result.samples[0]!.matches.map((m) => [m.line, m.captures.slice(1), m.groups])).toEqual([
      [1, ['root', '10.0.0.1'], { user: 'root' }],
      [3, ['bob', '10.0.0.2'], { user: 'bob' }],
    ]);
  });
});
