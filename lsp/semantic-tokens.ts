/** Semantic tokens from the grammar's highlighting (grammar/highlight.ts), one line at a time as LSP wants them. */
import type { EditorToolkit, Highlight } from '../compiler/api.js';
import { SemanticTokensBuilder, type SemanticTokensLegend } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

const TYPES: Readonly<Record<Highlight['kind'], string>> = {
  comment: 'comment',
  section: 'namespace',
  key: 'property',
  value: 'string',
  regex: 'regexp',
  operator: 'operator',
  keyword: 'keyword',
  word: 'string',
  tag: 'label',
};

/** The token types the server uses, in legend order. */
export const LEGEND: SemanticTokensLegend = { tokenTypes: [...new Set(Object.values(TYPES))], tokenModifiers: [] };

/** The file's semantic tokens, encoded. */
export function semanticTokens(tools: EditorToolkit, document: TextDocument): number[] {
  const builder = new SemanticTokensBuilder();
  const text = document.getText();
  for (const h of tools.highlightRules(text)) {
    const type = LEGEND.tokenTypes.indexOf(TYPES[h.kind]);
    // A token may not span lines: a continued value or a heredoc comment is one token a line.
    let start = h.start;
    while (start < h.end) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 || newline >= h.end ? h.end : newline;
      const at = document.positionAt(start);
      if (end > start) builder.push(at.line, at.character, end - start, type, 0);
      start = end + 1;
    }
  }
  return builder.build().data;
}
