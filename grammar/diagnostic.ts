/**
 * The one diagnostic type shared by the CLI, the language server and the tests.
 * Spans are canonical byte offsets into the file's text (UTF-16 code units, as JS strings
 * index); line/column are derived only at the edges through a LineIndex.
 */

import type { Code } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

/** A half-open range `[start, end)` of UTF-16 offsets into one file's text. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A secondary location with its own message, e.g. "first defined here". */
export interface DiagnosticLabel {
  readonly span: Span;
  readonly message: string;
}

/** One finding of any stage, with its place in the source. */
export interface Diagnostic {
  /** A stable code from `codes.ts` (R1xx lex, R2xx parse, R3xx check, R4xx generate). */
  readonly code: Code;
  readonly severity: Severity;
  /** One line, no trailing period. */
  readonly message: string;
  readonly span: Span;
  readonly labels?: readonly DiagnosticLabel[];
  /** Extra lines such as "did you mean `upbound_freq`?". */
  readonly notes?: readonly string[];
}

/** What every stage returns: its value and everything it found wrong, never a throw. */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/** 1-based line and column (column counts UTF-16 code units, as editors and `file:line:col` do). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Converts offsets to line/column for one text; built once per file. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - this.lineStarts[low]! + 1 };
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line < this.lineStarts.length ? this.lineStarts[line]! - 1 : this.text.length;
    return this.text.slice(start, next).replace(/\r$/, '');
  }
}

/** A span; an `end` before `start` is clamped to an empty span. */
export function span(file: string, start: number, end: number): Span {
  return { file, start, end: Math.max(start, end) };
}

/** True when any diagnostic is an error (warnings and infos do not fail a stage). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** The most severe level among `diagnostics` ('info' for none): of a summary that stands for them. */
export function worstSeverity(diagnostics: readonly Diagnostic[]): Severity {
  return diagnostics.reduce<Severity>((worst, d) => (RANK[d.severity] > RANK[worst] ? d.severity : worst), 'info');
}
