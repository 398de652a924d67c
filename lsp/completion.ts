/**
 * Completion: what may be written where the cursor is. At the start of a top-level line: the
 * keys the section takes (not yet set), block kinds, commands; after `key =`: that key's values
 * (booleans, choices, time zones, units after a number); after `set`: setting names and values;
 * in a block body: its directives, and `rule` keys in a `snort` block. Documentation from the
 * compiler's key docs, the same text docs/language.md shows.
 */
import type { EditorToolkit, KeyDoc, RulesFile } from '../compiler/api.js';
import { CompletionItemKind, MarkupKind, type CompletionItem, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { blocksAround, sectionAt } from './syntax.js';
import { keyMarkdown } from './hover.js';

const SIZE_UNITS = ['K', 'M', 'G', 'B'];
const DURATION_UNITS = ['s', 'm', 'h', 'd', 'ms'];
const DIRECTIVE_VALUES: Readonly<Record<string, readonly string[]>> = {
  digest: ['md5', 'sha256'],
  cross_filesystems: ['yes', 'no'],
  realtime: ['yes', 'no'],
  shell: ['yes', 'no'],
  variant: ['snort2', 'snort3', 'snort2-appid', 'snort3-appid', 'legacy'],
  byte_order: ['native', 'little', 'big'],
  handler: ['json', 'http', 'repl'],
};

/** The completion items at `position`. */
export function complete(tools: EditorToolkit, document: TextDocument, file: RulesFile, position: Position): CompletionItem[] {
  const offset = document.offsetAt(position);
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const before = document.getText().slice(lineStart, offset);
  const replace = (prefix: string) => ({ start: { line: position.line, character: position.character - prefix.length }, end: position });
  const item = (label: string, kind: CompletionItemKind, prefix: string, doc?: string, insert = label): CompletionItem => ({
    label,
    kind,
    textEdit: { range: replace(prefix), newText: insert },
    ...(doc === undefined ? {} : { documentation: { kind: MarkupKind.Markdown, value: doc } }),
  });

  const blocks = blocksAround(file.statements, offset);
  const block = blocks[blocks.length - 1];
  if (block !== undefined) return inBlock(tools, blocks.map((b) => b.name.value), block.body, before, item);

  const entry = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=(?!~)\s*(.*)$/.exec(before);
  if (entry !== null) return values(tools.keyDoc(entry[1]!), entry[2]!, item);
  const set = /^\s*set\s+(\S*)$/.exec(before);
  if (set !== null) return Object.entries(tools.SETTING_DOCS).map(([name, doc]) => item(name, CompletionItemKind.Property, set[1]!, doc));
  const setValue = /^\s*set\s+(\S+)\s+(\S*)$/.exec(before);
  if (setValue !== null) {
    const choices = setValue[1] === 'smtp_tls' ? tools.SMTP_TLS_MODES : setValue[1] === 'debug' ? ['1'] : [];
    return choices.map((choice) => item(choice, CompletionItemKind.Value, setValue[2]!));
  }
  const word = /^\s*([A-Za-z_]*)$/.exec(before);
  if (word === null) return [];
  const prefix = word[1]!;
  const items: CompletionItem[] = [];
  const section = sectionAt(file, lineStart);
  if (section !== null) {
    const general = section === undefined || section.name === 'general';
    const set = new Set(section?.entries.filter((e) => e.span.start < lineStart || e.span.start > offset).map((e) => e.key));
    const keys = general ? tools.ALL_INI_KEYS : tools.ITEM_KEYS;
    for (const key of keys) {
      if (!set.has(key)) items.push(item(key, CompletionItemKind.Property, prefix, keyMarkdown(key, tools.keyDoc(key)!), `${key} = `));
    }
  }
  for (const [kind, doc] of Object.entries(tools.BLOCK_DOCS)) items.push(item(kind, CompletionItemKind.Module, prefix, doc, `${kind} <<__${kind.toUpperCase()}`));
  for (const alias of aliases(file)) items.push(item(alias, CompletionItemKind.Module, prefix, 'a custom block kind declared by `module`', `${alias} <<__${alias.toUpperCase()}`));
  for (const name of ['set', 'source', 'module']) items.push(item(name, CompletionItemKind.Keyword, prefix, tools.COMMAND_DOCS[name], `${name} `));
  return items;
}

/** Values of an INI key (or of a `rule` directive) after what is typed so far. */
function values(doc: KeyDoc | undefined, typed: string, item: Item): CompletionItem[] {
  if (doc === undefined) return [];
  if (doc.choices !== undefined) return doc.choices.map((choice) => item(choice, CompletionItemKind.Value, typed));
  if (doc.kind === 'zone') return ['UTC', ...Intl.supportedValuesOf('timeZone')].map((zone) => item(zone, CompletionItemKind.Value, typed));
  const number = /^\d+$/.test(typed);
  if (doc.kind === 'size' && number) return SIZE_UNITS.map((unit) => item(`${typed}${unit}`, CompletionItemKind.Unit, typed));
  if (doc.kind === 'duration' && number) return DURATION_UNITS.map((unit) => item(`${typed}${unit}`, CompletionItemKind.Unit, typed));
  return [];
}

type Item = (label: string, kind: CompletionItemKind, prefix: string, doc?: string, insert?: string) => CompletionItem;

/** In a block body: the directives of the innermost block; values after a directive. */
function inBlock(tools: EditorToolkit, kinds: readonly string[], body: RulesFile['statements'], before: string, item: Item): CompletionItem[] {
  const kind = kinds[kinds.length - 1]!;
  const inRule = kind === 'rule' && kinds[kinds.length - 2] === 'snort';
  const argument = /^\s*(\S+)\s+(\S*)$/.exec(before);
  if (argument !== null) {
    if (inRule) return values(tools.keyDoc(argument[1]!), argument[2]!, item);
    return (DIRECTIVE_VALUES[argument[1]!] ?? []).map((value) => item(value, CompletionItemKind.Value, argument[2]!));
  }
  const word = /^\s*([A-Za-z_]*)$/.exec(before);
  if (word === null) return [];
  const prefix = word[1]!;
  const present = new Set(body.flatMap((s) => (s.kind === 'command' ? [s.name.value] : [])));
  if (inRule) {
    return tools.ITEM_KEYS.filter((key) => key !== 'path' && key !== 'regex' && key !== 'snort' && !present.has(key)).map((key) =>
      item(key, CompletionItemKind.Property, prefix, keyMarkdown(key, tools.keyDoc(key)!), `${key} `),
    );
  }
  if (!tools.isBuiltinBlock(kind)) return [];
  const specs = tools.BLOCK_DIRECTIVES[kind];
  const docs = tools.DIRECTIVE_DOCS[kind];
  const items = Object.entries(specs)
    .filter(([name, spec]) => spec.repeatable || !present.has(name))
    .map(([name]) => item(name, CompletionItemKind.Property, prefix, docs[name], `${name} `));
  if (kind === 'watch') for (const word of ['ignore', 'filter', 'do']) items.push(item(word, CompletionItemKind.Keyword, prefix, tools.COMMAND_DOCS[word], `${word} `));
  if (kind === 'snort') items.push(item('rule', CompletionItemKind.Module, prefix, 'a rule over the alerts: `rule NAME <<__RULE`, item keys as directives', 'rule NAME <<__RULE'));
  return items;
}

/** The aliases `module` lines of the file declare. */
function aliases(file: RulesFile): string[] {
  return file.statements.flatMap((s) => (s.kind === 'command' && s.name.value === 'module' && s.args[1] !== undefined ? [s.args[1].value] : []));
}
