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

interface OpenSection {
  readonly name: string;
  readonly nameSpan: Span;
  readonly implicit: boolean;
  readonly start: number;
  readonly entries: Entry[];
  end: number;
  readonly index: number;
}

function close(open: OpenSection, out: Statement[]): void {
  const { name, nameSpan, implicit, entries } = open;
  const span = { file: nameSpan.file, start: open.start, end: open.end };
  const section: Section = { kind: 'section', name, nameSpan, implicit, entries, span };
  out[open.index] = section;
}

/** Applies the top-level scoping rule; entries no section can take are reported as R202. */
export function scopeSections(items: readonly Item[], diagnostics: Diagnostic[]): Statement[] {
  const out: Statement[] = [];
  let open: OpenSection | undefined;
  let closer: Statement | undefined;
  let sawStatement = false;
  for (const item of items) {
    if (item.kind === 'header-line') {
      if (open) close(open, out);
      open = {
        name: item.name, nameSpan: item.nameSpan, implicit: false, start: item.span.start,
        end: item.span.end, entries: [], index: out.length,
      };
      out.push(undefined as unknown as Statement);
    } else if (item.kind === 'entry') {
      if (!open && !sawStatement) {
        const nameSpan = { file: item.span.file, start: item.span.start, end: item.span.start };
        open = {
          name: 'general', nameSpan, implicit: true, start: item.span.start, end: item.span.end,
          entries: [], index: out.length,
        };
        out.push(undefined as unknown as Statement);
      }
      if (open) {
        open.entries.push(item);
        open.end = item.span.end;
      } else {
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
      if (open) close(open, out);
      open = undefined;
      closer = item;
      sawStatement = true;
      out.push(item);
    }
  }
  if (open) close(open, out);
  return out;
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
