/**
 * The grammar's facade: `.rules` text in, AST and every diagnostic out, in one run.
 * The language is documented in docs/language.md.
 */
import type { RulesFile } from './ast.js';
import type { Diagnostic, Result } from './diagnostic.js';
import { parseRange } from './to-ast.js';

export { GRAMMAR_VERSION } from './version.js';

/** Parses one file. Never throws: bad input yields diagnostics, sorted by position. */
export function parse(text: string, file: string): Result<RulesFile> {
  const diagnostics: Diagnostic[] = [];
  const statements = parseRange({ file, text, diagnostics }, 0, text.length, 0);
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return {
    value: { kind: 'file', file, text, statements, span: { file, start: 0, end: text.length } },
    diagnostics,
  };
}
