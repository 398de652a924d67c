/** rulec's diagnostics as LSP diagnostics: offsets become line/character only here, at the edge. */
import type { Diagnostic as RuleDiagnostic, Span } from '../compiler/api.js';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { uriOf } from './paths.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** Texts by absolute path, each made into a document once for its line index. */
export class Texts {
  private readonly documents = new Map<string, TextDocument>();

  constructor(private readonly text: (path: string) => string | undefined) {}

  document(path: string): TextDocument {
    let document = this.documents.get(path);
    if (document === undefined) {
      document = TextDocument.create(uriOf(path), 'rules', 0, this.text(path) ?? '');
      this.documents.set(path, document);
    }
    return document;
  }

  range(span: Span): Range {
    const document = this.document(span.file);
    return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
  }
}

/**
 * One rulec diagnostic: same code, message and range as `rulec check` prints. Labels and notes
 * become related information, shown under the message.
 */
export function toLspDiagnostic(d: RuleDiagnostic, texts: Texts): Diagnostic {
  const here = { uri: uriOf(d.span.file), range: texts.range(d.span) };
  const related = [
    ...(d.labels ?? []).map((label) => ({ location: { uri: uriOf(label.span.file), range: texts.range(label.span) }, message: label.message })),
    ...(d.notes ?? []).map((note) => ({ location: here, message: note })),
  ];
  return {
    range: here.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'rulec',
    message: d.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    ...(d.notes !== undefined ? { data: { notes: d.notes } } : {}),
  };
}
