/** Where a position is in a parsed file: the innermost block around it, the section it is in, the node under it. */
import type { BlockStatement, RulesFile, Section, Span, Statement } from '../compiler/api.js';

/** True when `offset` lies in `[span.start, span.end]` (the end included: a cursor after a word is on it). */
export function within(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** The blocks whose bodies hold `offset`, outermost first. */
export function blocksAround(statements: readonly Statement[], offset: number): BlockStatement[] {
  for (const statement of statements) {
    if (statement.kind === 'block' && statement.bodySpan.start <= offset && offset <= statement.bodySpan.end) {
      return [statement, ...blocksAround(statement.body, offset)];
    }
  }
  return [];
}

/**
 * The section a top-level line at `lineStart` belongs to: the last statement before it, when
 * that is a section (an INI line there continues it); null when another statement came last.
 * Before any statement, the implicit `[general]` (reported as undefined).
 */
export function sectionAt(file: RulesFile, lineStart: number): Section | null | undefined {
  let last: Statement | undefined;
  for (const statement of file.statements) {
    if (statement.span.start >= lineStart) break;
    last = statement;
  }
  if (last === undefined) return undefined;
  return last.kind === 'section' ? last : null;
}

/** Every statement, nested bodies included, in text order. */
export function* allStatements(statements: readonly Statement[]): Generator<Statement> {
  for (const statement of statements) {
    yield statement;
    if (statement.kind === 'block') yield* allStatements(statement.body);
  }
}
