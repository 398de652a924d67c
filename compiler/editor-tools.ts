/**
 * What the language server and `rulec fmt` use of the compiler, without code generation (no
 * ts-morph, no esbuild): the parser and formatter, check, includes, and the documentation of
 * keys, settings, blocks and codes. Loaded through `loadEditorTools()` (api.ts).
 */
export type * from '../grammar/ast.js';
export { codes, type CodeInfo } from '../grammar/codes.js';
export { formatRules } from '../grammar/format.js';
export { highlightRules, type Highlight } from '../grammar/highlight.js';
export { parse } from '../grammar/index.js';
export { checkFiles, readRuleText, type CheckedFile, type RuleText } from './check-files.js';
export * from './check/key-docs.js';
export { ALL_INI_KEYS, BLOCK_DIRECTIVES, BUILTIN_BLOCKS, GENERAL_ONLY_KEYS, ITEM_KEYS, SETTING_KEYS, isBuiltinBlock } from './check/keys.js';
export { nodeHost, resolveInclude, type FileRead, type LoadHost } from './load.js';
