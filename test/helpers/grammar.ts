/** Small helpers for grammar tests: parse inline sources and read diagnostics as `line:col`. */
import type { Statement } from '../../grammar/ast.js';
import { LineIndex } from '../../grammar/diagnostic.js';
import type { Diagnostic, Span } from '../../grammar/diagnostic.js';
import { parse } from '../../grammar/index.js';

/** Parses `text` as `test.rules`. */
export function parseText(text: string) {
  return parse(text, 'test.rules');
}

/** Each diagnostic as `line:col CODE` (1-based), in report order. */
export function located(text: string, diagnostics: readonly Diagnostic[]): string[] {
  const index = new LineIndex(text);
  return diagnostics.map((d) => {
    const p = index.position(d.span.start);
    return `${p.line}:${p.column} ${d.code}`;
  });
}

/** The source text a span covers. */
export function sliceOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** Parses text that must produce no diagnostics at all, and returns its statements. */
export function statementsOf(text: string): readonly Statement[] {
  const result = parseText(text);
  if (result.diagnostics.length > 0) {
    throw new Error(`unexpected diagnostics: ${located(text, result.diagnostics).join(', ')}`);
  }
  return result.value.statements;
}

/** Narrows a statement to one kind, failing the test when it is another. */
export function as<K extends Statement['kind']>(s: Statement | undefined, kind: K): Extract<Statement, { kind: K }> {
  if (!s || s.kind !== kind) throw new Error(`expected a ${kind}, got ${s?.kind ?? 'nothing'}`);
  return s as Extract<Statement, { kind: K }>;
}
