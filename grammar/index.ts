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
  reportUnusableCharacters(text, file, diagnostics);
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return {
    value: { kind: 'file', file, text, statements, span: { file, start: 0, end: text.length } },
    diagnostics,
  };
}

/**
 * Values and heredoc bodies take any character, but two cannot be meant:
 * - a NUL: no path, argument or shell command can hold one; the open or spawn would fail only
 *   at run time;
 * - U+FFFD, outside comment lines: what an invalid UTF-8 byte reads as (a file saved as
 *   Latin-1, say). Kept, `café` written so would match every log line with any invalid byte in
 *   that place.
 * Characters the lexer already refused are skipped.
 */
function reportUnusableCharacters(text: string, file: string, diagnostics: Diagnostic[]): void {
  const refused = new Set(diagnostics.filter((d) => d.code === 'R101').map((d) => d.span.start));
  for (const found of text.matchAll(/[\0\ufffd]/g)) {
    const at = found.index;
    if (refused.has(at)) continue;
    const nul = found[0] === '\0';
    // A comment line cannot make anything match: a Latin-1 author's name there is harmless.
    if (!nul && /^[ \t]*[#;]/.test(text.slice(text.lastIndexOf('\n', at) + 1, at))) continue;
    diagnostics.push({
      code: 'R101',
      severity: 'error',
      message: nul ? 'unexpected character U+0000 (a NUL byte)' : 'unexpected character U+FFFD: a byte that is not UTF-8, or a replacement character',
      span: { file, start: at, end: at + 1 },
      notes: [
        nul
          ? 'no path, argument or command can hold a NUL byte; in a regex, write \\x00'
          : 'save the rule file as UTF-8; to match U+FFFD itself (what an invalid byte of a log reads as), write \\x{FFFD} in a regex',
      ],
    });
  }
}
