/**
 * Hover: every key, setting, block, directive and command explained from the compiler's key
 * docs (the source docs/language.md's tables are generated from); on a diagnostic, its code's
 * title, description and fix from the code registry (as docs/codes.md shows them).
 */
import type { EditorToolkit, KeyDoc, RulesFile, Span, Statement } from '../compiler/api.js';
import { MarkupKind, type Diagnostic, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { allStatements, blocksAround, within } from './syntax.js';

/** A key's documentation as Markdown. */
export function keyMarkdown(key: string, doc: KeyDoc): string {
  return `**\`${key}\`**: ${doc.value}; default ${doc.default}\n\n${doc.what}`;
}

/** The hover at `offset`, or null. */
export function hover(tools: EditorToolkit, document: TextDocument, file: RulesFile, offset: number, diagnostics: readonly Diagnostic[]): Hover | null {
  const parts: string[] = [];
  for (const d of diagnostics) {
    const range = { start: document.offsetAt(d.range.start), end: document.offsetAt(d.range.end) };
    const info = typeof d.code === 'string' && Object.hasOwn(tools.codes, d.code) ? tools.codes[d.code as keyof typeof tools.codes] : undefined;
    if (info !== undefined && range.start <= offset && offset <= range.end) {
      parts.push(`**${d.code}** ${info.title}\n\n${info.description}\n\n*Fix:* ${info.fix}`);
    }
  }
  const found = explain(tools, file, offset);
  if (found !== null) parts.unshift(found.text);
  if (parts.length === 0) return null;
  const value = parts.join('\n\n---\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, ...(found === null ? {} : { range: { start: document.positionAt(found.span.start), end: document.positionAt(found.span.end) } }) };
}

function explain(tools: EditorToolkit, file: RulesFile, offset: number): { text: string; span: Span } | null {
  for (const statement of allStatements(file.statements)) {
    const found = explainStatement(tools, file, statement, offset);
    if (found !== null) return found;
  }
  return null;
}

function explainStatement(tools: EditorToolkit, file: RulesFile, statement: Statement, offset: number): { text: string; span: Span } | null {
  switch (statement.kind) {
    case 'section': {
      if (!statement.implicit && within(statement.nameSpan, offset)) {
        const text = statement.name === 'general'
          ? '**`[general]`**: settings for the whole file, and defaults for every item\'s keys'
          : `**\`[${statement.name}]\`**: an item: a log to follow, what to match in it, and what to do`;
        return { text, span: statement.nameSpan };
      }
      for (const entry of statement.entries) {
        const doc = tools.keyDoc(entry.key);
        if (doc !== undefined && within(entry.keySpan, offset)) return { text: keyMarkdown(entry.key, doc), span: entry.keySpan };
      }
      return null;
    }
    case 'block':
    case 'command': {
      const name = statement.name;
      const blocks = blocksAround(file.statements, statement.span.start);
      const parent = blocks.length > 0 ? blocks[blocks.length - 1]!.name.value : undefined;
      if (within(name.span, offset)) {
        const text = describeName(tools, file, statement.kind, name.value, parent);
        return text === undefined ? null : { text, span: name.span };
      }
      const setting = statement.kind === 'command' && name.value === 'set' ? statement.args[0] : undefined;
      if (setting !== undefined && within(setting.span, offset) && Object.hasOwn(tools.SETTING_DOCS, setting.value)) {
        return { text: `**\`set ${setting.value}\`**: ${tools.SETTING_DOCS[setting.value as keyof typeof tools.SETTING_DOCS]}`, span: setting.span };
      }
      return null;
    }
    case 'match':
    case 'group':
      return within(statement.modeSpan, offset) ? { text: tools.COMMAND_DOCS[statement.mode]!, span: statement.modeSpan } : null;
    default:
      return null;
  }
}

function describeName(tools: EditorToolkit, file: RulesFile, kind: 'block' | 'command', name: string, parent: string | undefined): string | undefined {
  if (parent === undefined) {
    if (kind === 'block' && Object.hasOwn(tools.BLOCK_DOCS, name)) return `**\`${name}\` block**: ${tools.BLOCK_DOCS[name as keyof typeof tools.BLOCK_DOCS]}`;
    const module = file.statements.find((s) => s.kind === 'command' && s.name.value === 'module' && s.args[1]?.value === name);
    if (module !== undefined && module.kind === 'command') return `**\`${name}\` block**: a custom block kind, \`${module.args[0]?.value ?? ''}\` from \`${module.args[2]?.value ?? ''}\``;
    const doc = Object.hasOwn(tools.COMMAND_DOCS, name) ? tools.COMMAND_DOCS[name] : undefined;
    return doc === undefined ? undefined : `**\`${name}\`**: ${doc}`;
  }
  if (parent === 'rule') {
    const doc = tools.keyDoc(name);
    return doc === undefined ? undefined : keyMarkdown(name, doc);
  }
  if (parent === 'snort' && name === 'rule') return '**`rule`**: a rule over the alerts; its directives are item keys';
  if (tools.isBuiltinBlock(parent)) {
    const doc = tools.DIRECTIVE_DOCS[parent][name] ?? (Object.hasOwn(tools.COMMAND_DOCS, name) ? tools.COMMAND_DOCS[name] : undefined);
    return doc === undefined ? undefined : `**\`${name}\`** (\`${parent}\`): ${doc}`;
  }
  return undefined;
}
