/** The outline: `[sections]` with their keys, heredoc blocks (nested) and `do ... end` groups. */
import type { RulesFile, Span, Statement } from '../compiler/api.js';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** The document symbols of a parsed file. */
export function documentSymbols(document: TextDocument, file: RulesFile): DocumentSymbol[] {
  const range = (span: Span) => ({ start: document.positionAt(span.start), end: document.positionAt(span.end) });
  const symbol = (name: string, kind: SymbolKind, span: Span, selection: Span, children: DocumentSymbol[] = [], detail?: string): DocumentSymbol => ({
    name: name === '' ? ' ' : name,
    kind,
    range: range(span),
    selectionRange: range(selection),
    ...(detail === undefined ? {} : { detail }),
    ...(children.length > 0 ? { children } : {}),
  });
  const of = (statements: readonly Statement[]): DocumentSymbol[] =>
    statements.flatMap((s): DocumentSymbol[] => {
      switch (s.kind) {
        case 'section': {
          const entries = s.entries.map((e) => symbol(e.key, SymbolKind.Property, e.span, e.keySpan, [], e.value));
          return [symbol(`[${s.name}]`, SymbolKind.Namespace, s.span, s.implicit ? s.span : s.nameSpan, entries)];
        }
        case 'block': {
          const args = s.args.map((a) => a.value).join(' ');
          return [symbol(args === '' ? s.name.value : `${s.name.value} ${args}`, SymbolKind.Module, s.span, s.name.span, of(s.body), `<<${s.tag}`)];
        }
        case 'group':
          return [symbol(`do ${s.mode}`, SymbolKind.Array, s.span, s.modeSpan, [], `${s.operands.length} operand${s.operands.length === 1 ? '' : 's'}`)];
        default:
          return [];
      }
    });
  return of(file.statements);
}
