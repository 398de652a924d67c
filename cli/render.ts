/**
 * Diagnostics for people and machines: text with the source line and carets, JSON, and
 * GitHub Actions workflow commands. Line and column are 1-based; the column counts UTF-16
 * code units, as editors and `file:line:col` links do.
 */
import { LineIndex, type Diagnostic, type Severity } from '../compiler/api.js';
import { escapeControlKeepingBackslashes } from '../runtime/index.js';

/** One diagnostic as `rulec check --format json` prints it. */
export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

/** Line indexes per file, built once per rendering. */
class Locator {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  index(file: string): LineIndex {
    let index = this.indexes.get(file);
    if (index === undefined) {
      index = new LineIndex(this.sources.get(file) ?? '');
      this.indexes.set(file, index);
    }
    return index;
  }
}

/** Sorts by file (in the order the sources were read), then offset; keeps one copy of repeats. */
export function orderDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): Diagnostic[] {
  const fileOrder = new Map([...sources.keys()].map((file, i) => [file, i]));
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.severity, d.message, d.span]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (d: Diagnostic): number => fileOrder.get(d.span.file) ?? fileOrder.size;
  return unique
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.span.file < b.d.span.file ? -1 : a.d.span.file > b.d.span.file ? 1 : 0) || a.d.span.start - b.d.span.start || a.i - b.i)
    .map(({ d }) => d);
}

// Control characters would move the cursor or recolour the terminal; one placeholder each keeps the carets aligned.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function caretLine(lineText: string, startColumn: number, width: number): string {
  const prefix = lineText.slice(0, startColumn - 1).replace(/[^\t]/g, ' ');
  return `${prefix}${'^'.repeat(Math.max(1, width))}`;
}

/** Characters of a source line shown at most: a longer one is cut around the span, with `…` where it was cut. */
export const SHOWN_LINE_MAX = 160;
// How much of the line before the span is kept when the line is cut.
const SHOWN_BEFORE = 40;

/**
 * The part of `lineText` to show for a span at 1-based `column` that is `width` long on this
 * line: the whole line, or a window around the span's start (a binary or minified file has
 * lines of megabytes, which each diagnostic used to repeat in full). Returns the text and the
 * span's column and width within it.
 */
export function shownLine(lineText: string, column: number, width: number): { text: string; column: number; width: number } {
  if (lineText.length <= SHOWN_LINE_MAX) return { text: lineText, column, width };
  let from = Math.max(0, column - 1 - SHOWN_BEFORE);
  let to = Math.min(lineText.length, from + SHOWN_LINE_MAX);
  from = Math.max(0, to - SHOWN_LINE_MAX);
  // Never between the two halves of a surrogate pair.
  if (from > 0 && isLowSurrogate(lineText.charCodeAt(from))) from++;
  if (to < lineText.length && isLowSurrogate(lineText.charCodeAt(to))) to--;
  const head = from > 0 ? '…' : '';
  const text = `${head}${lineText.slice(from, to)}${to < lineText.length ? '…' : ''}`;
  const start = column - 1 - from;
  return { text, column: start + head.length + 1, width: Math.max(1, Math.min(width, to - from - start)) };
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** `file:line:col: error[R301]: message`, the source line with carets, then labels and notes. */
export function renderText(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const locator = new Locator(sources);
  const blocks = orderDiagnostics(diagnostics, sources).map((d) => {
    const index = locator.index(d.span.file);
    const start = index.position(d.span.start);
    const fullLine = index.lineText(start.line);
    // Carets cover the span on its first line only.
    const shown = shownLine(fullLine, start.column, Math.min(d.span.end - d.span.start, fullLine.length - (start.column - 1)));
    const gutter = String(start.line).length;
    const pad = ' '.repeat(gutter);
    const lines = [
      // Messages quote the rule text, control characters included: shown, not obeyed.
      `${escapeControlKeepingBackslashes(d.span.file)}:${start.line}:${start.column}: ${d.severity}[${d.code}]: ${escapeControlKeepingBackslashes(d.message)}`,
      `${start.line} | ${shown.text.replace(CONTROL, '\ufffd')}`,
      `${pad} | ${caretLine(shown.text, shown.column, shown.width)}`,
    ];
    for (const label of d.labels ?? []) {
      const at = locator.index(label.span.file).position(label.span.start);
      lines.push(`${pad} = ${escapeControlKeepingBackslashes(label.message)}: ${escapeControlKeepingBackslashes(label.span.file)}:${at.line}:${at.column}`);
    }
    for (const note of d.notes ?? []) lines.push(`${pad} = note: ${escapeControlKeepingBackslashes(note)}`);
    return `${lines.join('\n')}\n`;
  });
  return blocks.join('\n');
}

/** One-line summary such as `2 errors, 1 warning`, and `, 3 info` when there are any. */
export function summary(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Severity): number => diagnostics.filter((d) => d.severity === severity).length;
  const part = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const info = count('info');
  return `${part(count('error'), 'error')}, ${part(count('warning'), 'warning')}${info > 0 ? `, ${info} info` : ''}`;
}

/** The text rendering followed by the summary line, as the commands print it; empty when there are none. */
export function renderReport(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return diagnostics.length === 0 ? '' : `${renderText(diagnostics, sources)}\n${summary(diagnostics)}\n`;
}

/** The diagnostics as JSON objects with 1-based line/column and an exclusive end. */
export function toJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): JsonDiagnostic[] {
  const locator = new Locator(sources);
  return orderDiagnostics(diagnostics, sources).map((d) => {
    const index = locator.index(d.span.file);
    const start = index.position(d.span.start);
    const end = index.position(d.span.end);
    return {
      file: d.span.file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
}

/** `rulec check --format json`: the {@link toJson} array, pretty-printed. */
export function renderJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return `${JSON.stringify(toJson(diagnostics, sources), null, 2)}\n`;
}

// Workflow-command escaping, as @actions/core does it (line breaks become %0D and %0A), after
// the other controls are shown escaped as in the text format: ESC quoted from a rule file would
// otherwise reach the CI log's terminal renderer.
const escapeData = (text: string): string =>
  text
    .replace(/[^\r\n]+/g, escapeControlKeepingBackslashes)
    .replaceAll('%', '%25')
    .replaceAll('\r', '%0D')
    .replaceAll('\n', '%0A');
const escapeProperty = (text: string): string => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

const GITHUB_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=R301::message` per diagnostic. */
export function renderGithub(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return toJson(diagnostics, sources)
    .map((d) => {
      const properties = [
        `file=${escapeProperty(d.file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${escapeProperty(d.code)}`,
      ].join(',');
      return `::${GITHUB_LEVEL[d.severity]} ${properties}::${escapeData(d.message)}\n`;
    })
    .join('');
}
