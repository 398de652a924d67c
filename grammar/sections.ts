/**
 * INI scoping: turns header and entry lines into Section nodes. A section runs from its
 * header to the next header or the next statement that is not an entry, whichever comes
 * first. Entries at the top of the file before any statement form an implicit `[general]`.
 */
import type { Entry, Section, Statement } from './ast.js';
import type { Diagnostic, Span } from './diagnostic.js';

export interface HeaderLine {
  readonly kind: 'header-line';
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
}

/** One converted line: a statement, or an INI line still to be scoped. */
export type Item = Statement | HeaderLine | Entry;

/** A section still taking entries; it becomes a Section node when the next one starts. */
class OpenSection {
  readonly entries: Entry[] = [];
  private end: number;

  constructor(
    private readonly name: string,
    private readonly nameSpan: Span,
    private readonly implicit: boolean,
    private readonly start: number,
    end: number,
  ) {
    this.end = end;
  }

  add(entry: Entry): void {
    this.entries.push(entry);
    this.end = entry.span.end;
  }

  close(): Section {
    const { name, nameSpan, implicit, entries } = this;
    return { kind: 'section', name, nameSpan, implicit, entries, span: { file: nameSpan.file, start: this.start, end: this.end } };
  }
}

/** Applies the top-level scoping rule; entries no section can take are reported as R202. */
export function scopeSections(items: readonly Item[], diagnostics: Diagnostic[]): Statement[] {
  const out: (Statement | OpenSection)[] = [];
  let open: OpenSection | undefined;
  let closer: Statement | undefined;
  let sawStatement = false;
  for (const item of items) {
    if (item.kind === 'header-line') {
      open = new OpenSection(item.name, item.nameSpan, false, item.span.start, item.span.end);
      out.push(open);
    } else if (item.kind === 'entry') {
      if (!open && !sawStatement) {
        const nameSpan = { file: item.span.file, start: item.span.start, end: item.span.start };
        open = new OpenSection('general', nameSpan, true, item.span.start, item.span.end);
        out.push(open);
      }
      if (open) open.add(item);
      else {
        diagnostics.push({
          code: 'R202',
          severity: 'error',
          message: `key \`${item.key}\` outside a section`,
          span: item.keySpan,
          ...(closer ? { labels: [{ span: closer.span, message: 'the previous section ended at this statement' }] } : {}),
          notes: ['start a new `[section]` header above this line'],
        });
      }
    } else {
      open = undefined;
      closer = item;
      sawStatement = true;
      out.push(item);
    }
  }
  return out.map((s) => (s instanceof OpenSection ? s.close() : s));
}

/** Inside a heredoc body INI lines have no meaning: each is reported as R208 and dropped. */
export function rejectSections(items: readonly Item[], diagnostics: Diagnostic[]): Statement[] {
  const out: Statement[] = [];
  for (const item of items) {
    if (item.kind === 'header-line' || item.kind === 'entry') {
      const what = item.kind === 'entry' ? `INI entry \`${item.key} =\`` : `section header \`[${item.name}]\``;
      diagnostics.push({
        code: 'R208',
        severity: 'error',
        message: `${what} inside a heredoc block`,
        span: item.kind === 'entry' ? item.keySpan : item.span,
        notes: ['blocks take `name value` directives; INI sections belong at the top level'],
      });
    } else out.push(item);
  }
  return out;
}
