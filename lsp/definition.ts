/** Go to definition: a `source "file"` line to that file; a custom block's name to the `module` line declaring its alias. */
import { existsSync } from 'node:fs';
import type { EditorToolkit, RulesFile, Statement } from '../compiler/api.js';
import type { Location } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { allStatements, within } from './syntax.js';
import { uriOf } from './paths.js';

/** How many includes deep an alias is looked for. */
const MAX_DEPTH = 16;

/**
 * The definition at `offset` of the file at `path`. `read` gives the text of an included file
 * (open buffer first), for aliases declared there.
 */
export function definition(
  tools: EditorToolkit,
  document: TextDocument,
  file: RulesFile,
  path: string,
  offset: number,
  read: (path: string) => string | undefined,
): Location | null {
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const statement of allStatements(file.statements)) {
    if (statement.kind === 'command' && statement.name.value === 'source' && statement.args.length === 1 && within(statement.span, offset)) {
      const target = tools.resolveInclude(path, statement.args[0]!.value);
      return read(target) !== undefined || existsSync(target) ? { uri: uriOf(target), range: zero } : null;
    }
    if (statement.kind === 'command' && statement.name.value === 'module' && statement.args[2] !== undefined && within(statement.args[2].span, offset)) {
      return { uri: uriOf(tools.resolveInclude(path, statement.args[2].value)), range: zero };
    }
    if (statement.kind === 'block' && within(statement.name.span, offset)) {
      const found = declaration(tools, file.statements, path, statement.name.value, read, new Set([path]));
      if (found === null) return null;
      const at = found.path === path ? document : null;
      const range = at === null ? lineRange(read(found.path) ?? '', found.start, found.end) : { start: at.positionAt(found.start), end: at.positionAt(found.end) };
      return { uri: uriOf(found.path), range };
    }
  }
  return null;
}

/** The `module` line declaring `alias`, in this file or the files it sources. */
function declaration(
  tools: EditorToolkit,
  statements: readonly Statement[],
  path: string,
  alias: string,
  read: (path: string) => string | undefined,
  seen: Set<string>,
): { path: string; start: number; end: number } | null {
  for (const s of statements) {
    if (s.kind !== 'command') continue;
    const word = s.args[1];
    if (s.name.value === 'module' && word?.value === alias) return { path, start: word.span.start, end: word.span.end };
    if (s.name.value === 'source' && s.args.length === 1 && seen.size < MAX_DEPTH) {
      const target = tools.resolveInclude(path, s.args[0]!.value);
      const text = read(target);
      if (text === undefined || seen.has(target)) continue;
      seen.add(target);
      const found = declaration(tools, tools.parse(text, target).value.statements, target, alias, read, seen);
      if (found !== null) return found;
    }
  }
  return null;
}

function lineRange(text: string, start: number, end: number) {
  const position = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { start: position(start), end: position(end) };
}
