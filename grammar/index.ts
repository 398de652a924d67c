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
  reportNulBytes(text, file, diagnostics);
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return {
    value: { kind: 'file', file, text, statements, span: { file, start: 0, end: text.length } },
    diagnostics,
  };
}

/**
 * Values and heredoc bodies take any character, but no path, argument or shell command can hold
 * a NUL: the open or spawn would fail only at run time. NULs the lexer already refused are skipped.
 */
function reportNulBytes(text: string, file: string, diagnostics: Diagnostic[]): void {
  const refused = new Set(diagnostics.filter((d) => d.code === 'R101').map((d) => d.span.start));
  for (let at = text.indexOf('\0'); at !== -1; at = text.indexOf('\0', at + 1)) {
    if (refused.has(at)) continue;
    diagnostics.push({
      code: 'R101',
      severity: 'error',
      message: 'unexpected character U+0000 (a NUL byte)',
      span: { file, start: at, end: at + 1 },
      notes: ['no path, argument or command can hold a NUL byte; in a regex, write \\x00'],
    });
  }
}
