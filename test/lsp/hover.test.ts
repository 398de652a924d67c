/** Hover on block kinds, block directives and `set` settings, through a real client (issue 19 §1). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover, MarkupContent, Range } from 'vscode-languageserver-protocol';
import { BLOCK_DOCS, COMMAND_DOCS, DIRECTIVE_DOCS, SETTING_DOCS } from '../../compiler/check/key-docs.js';
import { tempDir } from '../cli/run-cli.js';
import { startClient, type TestClient } from './lsp-client.js';

const uri = (path: string): string => pathToFileURL(path).href;

const SETTINGS = Object.keys(SETTING_DOCS) as (keyof typeof SETTING_DOCS)[];

/** A report file that names every setting, every built-in block kind and a custom one. */
const TEXT = [
  ...SETTINGS.map((key) => `set ${key} "x"`),
  'module Digest digest ./file-digest.mjs',
  'command <<__C',
  '    exec /bin/df -h',
  '    timeout 30',
  '__C',
  'monitor <<__M',
  '    dir /etc',
  '    digest sha256',
  '__M',
  'watch <<__W',
  '    logfile /var/log/syslog',
  '    trim yes',
  '    ignore =~ /cron/',
  '__W',
  'snort <<__S',
  '    logdir /var/log/snort',
  '    rule SCAN <<__R',
  '        msg "^SCAN"',
  '    __R',
  '__S',
  'digest <<__D',
  '    dir /etc',
  '__D',
  '',
].join('\n');

/** Where `word` starts on the line that starts (after blanks) with `lineStart`. */
function at(lineStart: string, word: string): { line: number; character: number; length: number } {
  const lines = TEXT.split('\n');
  const line = lines.findIndex((l) => l.trimStart().startsWith(lineStart));
  if (line < 0) throw new Error(`no line starts with ${lineStart}`);
  const character = lines[line]!.indexOf(word);
  if (character < 0) throw new Error(`no ${word} on line ${line}`);
  return { line, character, length: word.length };
}

describe('lsp hover on blocks, directives and settings', () => {
  let dir: string;
  let remove: () => void;
  let client: TestClient;
  let docUri: string;
  beforeAll(async () => {
    ({ dir, remove } = tempDir('rulec-lsp-hover-'));
    client = await startClient(uri(dir));
    const path = join(dir, 'report.rules');
    writeFileSync(path, TEXT);
    docUri = uri(path);
    client.open(docUri, TEXT);
    await client.diagnostics(docUri, 1);
  });
  afterAll(() => {
    client.close();
    remove();
  });

  /** The hover's own explanation (before any diagnostic's) and its range, hovering inside the word. */
  async function hoverAt(lineStart: string, word: string): Promise<{ text: string; range: Range | undefined }> {
    const where = at(lineStart, word);
    // The last character of the word: a hover anywhere in it explains it.
    const position = { line: where.line, character: where.character + where.length - 1 };
    const result = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: docUri }, position });
    expect(result, `hover on ${word}`).not.toBeNull();
    return { text: (result!.contents as MarkupContent).value.split('\n\n---\n\n')[0]!, range: result!.range };
  }
  const rangeOf = (lineStart: string, word: string): Range => {
    const { line, character, length } = at(lineStart, word);
    return { start: { line, character }, end: { line, character: character + length } };
  };

  it.each(['command', 'monitor', 'watch', 'snort'] as const)('explains the %s block kind from the key docs', async (kind) => {
    const { text, range } = await hoverAt(`${kind} <<`, kind);
    expect(text).toBe(`**\`${kind}\` block**: ${BLOCK_DOCS[kind]}`);
    expect(range).toEqual(rangeOf(`${kind} <<`, kind));
  });

  it('explains a custom block kind by its module declaration', async () => {
    const { text } = await hoverAt('digest <<', 'digest');
    expect(text).toBe('**`digest` block**: a custom block kind, `Digest` from `./file-digest.mjs`');
  });

  it.each(SETTINGS)('explains set %s', async (key) => {
    const { text, range } = await hoverAt(`set ${key} `, key);
    expect(text).toBe(`**\`set ${key}\`**: ${SETTING_DOCS[key]}`);
    expect(range).toEqual(rangeOf(`set ${key} `, key));
  });

  it('explains the set command word itself', async () => {
    const { text } = await hoverAt('set to ', 'set');
    expect(text).toBe(`**\`set\`**: ${COMMAND_DOCS.set}`);
  });

  it.each([
    ['command', 'exec'],
    ['command', 'timeout'],
    ['monitor', 'dir'],
    ['monitor', 'digest'],
    ['watch', 'logfile'],
    ['watch', 'trim'],
    ['snort', 'logdir'],
  ] as const)('explains the %s directive %s', async (block, directive) => {
    const { text } = await hoverAt(`${directive} `, directive);
    expect(text).toBe(`**\`${directive}\`** (\`${block}\`): ${DIRECTIVE_DOCS[block]![directive]}`);
  });

  it('says what trim and monitor really do (trim is yes/no, monitor lists and --check compares)', async () => {
    const trim = (await hoverAt('trim ', 'trim')).text;
    expect(trim).toContain('`yes` or `no`');
    expect(trim).toContain('strip blanks');
    const monitor = (await hoverAt('monitor <<', 'monitor')).text;
    expect(monitor).toContain('lists every file');
    expect(monitor).toContain('--check');
    expect(monitor).not.toContain('reports what changed');
  });

  it('explains ignore in a watch block and rule in a snort block', async () => {
    expect((await hoverAt('ignore =~', 'ignore')).text).toBe(COMMAND_DOCS.ignore);
    expect((await hoverAt('rule SCAN', 'rule')).text).toBe('**`rule`**: a rule over the alerts; its directives are item keys');
  });
});
