/**
 * Collects the checker's diagnostics and locates spans inside values, so that every check
 * reports through the same few calls.
 */
import type { Code } from '../../grammar/codes.js';
import type { Diagnostic, DiagnosticLabel, Severity, Span } from '../../grammar/diagnostic.js';
import type { Program } from '../program.js';
import { spanWithin } from './locate.js';
import type { Located } from './locate.js';

/** Labels and notes that go with a diagnostic. */
export interface Extras {
  readonly labels?: readonly DiagnosticLabel[];
  readonly notes?: readonly string[];
}

/** The state one `check` run shares between its parts. */
export class CheckContext {
  private readonly found: Diagnostic[] = [];
  private readonly fileOrder: Map<string, number>;

  constructor(private readonly program: Program) {
    this.fileOrder = new Map([...program.files.keys()].map((name, index) => [name, index]));
  }

  /** The span of characters `[start, end)` of a value (the whole value by default). */
  at(value: Located, start?: number, end?: number): Span {
    return spanWithin(this.program.files.get(value.span.file)?.text, value, start, end);
  }

  /** The source text a span covers (empty when its file is unknown). */
  sourceText(where: Span): string {
    return this.program.files.get(where.file)?.text.slice(where.start, where.end) ?? '';
  }

  report(code: Code, severity: Severity, message: string, where: Span, extras: Extras = {}): void {
    // Messages quote user text, which a quoted word may spread over lines: keep them one line.
    const diagnostic: Diagnostic = { code, severity, message: message.replace(/\s*[\r\n]+\s*/g, ' '), span: where };
    this.found.push({
      ...diagnostic,
      ...(extras.labels && extras.labels.length > 0 ? { labels: extras.labels } : {}),
      ...(extras.notes && extras.notes.length > 0 ? { notes: extras.notes } : {}),
    });
  }

  error(code: Code, message: string, where: Span, extras?: Extras): void {
    this.report(code, 'error', message, where, extras);
  }

  warning(code: Code, message: string, where: Span, extras?: Extras): void {
    this.report(code, 'warning', message, where, extras);
  }

  /**
   * Everything found, in file order then position, with exact repeats dropped (a `[general]`
   * default read by several items reports its own problems once).
   */
  diagnostics(): Diagnostic[] {
    const seen = new Set<string>();
    const unique = this.found.filter((d) => {
      const key = [d.code, d.span.file, d.span.start, d.span.end, d.message, labelKey(d)].join('\u0000');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const order = (d: Diagnostic): number => this.fileOrder.get(d.span.file) ?? this.fileOrder.size;
    return unique
      .map((d, index) => ({ d, index }))
      .sort((a, b) => order(a.d) - order(b.d) || a.d.span.start - b.d.span.start || a.index - b.index)
      .map(({ d }) => d);
  }
}

function labelKey(d: Diagnostic): string {
  return (d.labels ?? []).map((l) => `${l.span.file}:${l.span.start}:${l.span.end}:${l.message}`).join('|');
}

/** An INI entry's value as a `Located`. */
export function entryValue(entry: { readonly value: string; readonly valueSpan: Span }): Located {
  return { text: entry.value, span: entry.valueSpan };
}

/** A shell word's value (quotes removed) as a `Located`. */
export function wordValue(word: { readonly value: string; readonly span: Span }): Located {
  return { text: word.value, span: word.span };
}

/** "did you mean `x`?" when a suggestion exists. */
export function suggestion(candidate: string | undefined): string[] {
  return candidate === undefined ? [] : [`did you mean \`${candidate}\`?`];
}
