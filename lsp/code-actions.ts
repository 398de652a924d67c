/**
 * Quick fixes for what the checks already work out: the "did you mean" of an unknown key,
 * setting, directive, block kind or value (R301, R315, R316, R319, R321), typographic quotes
 * read as ASCII ones (R323), and a `^` anchor for a pattern a match can restart inside (the
 * quadratic case of R330/R331, which an anchor removes).
 */
import type { RulesFile } from '../compiler/api.js';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { allStatements } from './syntax.js';

const DID_YOU_MEAN = /^did you mean `(.+)`\?$/;
const TYPOGRAPHIC = /^typographic quote (.) read as (["'])$/;
const RESTARTS = 'a match can start again';

/** The quick fixes for the diagnostics the client sends with the request. */
export function codeActions(document: TextDocument, file: RulesFile, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const fix = (title: string, diagnostic: Diagnostic, range: Diagnostic['range'], newText: string, preferred: boolean): void => {
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: preferred,
      edit: { changes: { [document.uri]: [{ range, newText }] } },
    });
  };
  for (const d of diagnostics) {
    if (d.source !== 'rulec') continue;
    const message = typeof d.message === 'string' ? d.message : d.message.value;
    const notes = (d.data as { notes?: unknown } | undefined)?.notes;
    for (const note of Array.isArray(notes) ? notes : []) {
      const guess = typeof note === 'string' ? DID_YOU_MEAN.exec(note) : null;
      if (guess !== null) fix(`Change to \`${guess[1]!}\``, d, d.range, guess[1]!, true);
    }
    const quote = d.code === 'R323' ? TYPOGRAPHIC.exec(message) : null;
    if (quote !== null) fix(`Replace ${quote[1]!} with ${quote[2]!}`, d, d.range, quote[2]!, true);
    if ((d.code === 'R330' || d.code === 'R331') && message.includes(RESTARTS)) {
      const start = patternStart(file, document.offsetAt(d.range.start));
      if (start !== null && document.getText().charAt(start) !== '^') {
        const at = document.positionAt(start);
        fix('Anchor the pattern at the start of the line (`^`)', d, { start: at, end: at }, '^', false);
      }
    }
  }
  return actions;
}

/** Where the pattern holding `offset` starts: a `regex`/`msg` value or a `/.../` operand. */
function patternStart(file: RulesFile, offset: number): number | null {
  for (const s of allStatements(file.statements)) {
    if (s.kind === 'section') {
      for (const e of s.entries) if ((e.key === 'regex' || e.key === 'msg') && e.valueSpan.start <= offset && offset <= e.valueSpan.end) return e.valueSpan.start;
    }
    const operands = s.kind === 'match' ? [s.operand] : s.kind === 'group' ? s.operands : [];
    for (const o of operands) if (o.patternSpan.start <= offset && offset <= o.patternSpan.end) return o.patternSpan.start;
    if (s.kind === 'command' && (s.name.value === 'msg' || s.name.value === 'regex')) {
      const word = s.args[0];
      if (word !== undefined && word.span.start <= offset && offset <= word.span.end) return word.span.start + (word.raw.startsWith('"') || word.raw.startsWith("'") ? 1 : 0);
    }
  }
  return null;
}
