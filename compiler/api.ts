/**
 * The compiler's programmatic API, shared by the CLI and the language server. Cheap to import:
 * the diagnostic type and its helpers, user errors, the package's own facts. The stages load on
 * demand, as they cost a good part of a second (the parser, the regex tools; esbuild to bundle): `loadCompiler()` for
 * check, compile and build, `loadRegexTools()` for one pattern's translation and lint.
 */
import type * as Pipeline from './pipeline.js';
import type * as EditorTools from './editor-tools.js';
import type * as RegexTools from './regex-tools.js';

export type { Code } from '../grammar/codes.js';
export { hasErrors, LineIndex, type Diagnostic, type DiagnosticLabel, type Position, type Severity, type Span } from '../grammar/diagnostic.js';
export { BUNDLE_HEAD, BUNDLE_TAIL } from './bundle-marks.js';
export { didYouMean } from './did-you-mean.js';
export { packageRoot, packageVersion } from './manifest.js';
export { cacheDirectory, lookupCompiled, storeCompiled, type CacheHit, type CacheKey, type CachedCompile, type Lookup } from './compile-cache.js';
export type { Problem } from './problem.js';
export { seededRandom } from './seeded-random.js';
export { UserError } from './user-error.js';
export type { Built, CheckedFile, Compiled, CompiledJs } from './pipeline.js';
export type * from '../grammar/ast.js';
export type { Highlight } from '../grammar/highlight.js';
export type { KeyDoc } from './check/key-docs.js';
export type { FileRead, LoadHost } from './load.js';

/** The compiler's stages: `checkFiles`, `compile`, `build`, `compileToJs` (see pipeline.ts). */
export type Compiler = typeof Pipeline;

/** Loads the compiler's stages. */
export function loadCompiler(): Promise<Compiler> {
  return import('./pipeline.js');
}

/** One pattern's tools: `translateRegex`, `lintRedos`, `runTimeBound` (see regex-tools.ts). */
export type RegexToolkit = typeof RegexTools;

/** Loads the regex translator and lints, without the rest of the compiler. */
export function loadRegexTools(): Promise<RegexToolkit> {
  return import('./regex-tools.js');
}

/** The parser, formatter, check and the docs of keys and codes, without code generation (see editor-tools.ts). */
export type EditorToolkit = typeof EditorTools;

/** Loads what `rulec fmt` and the language server use, without code generation and esbuild. */
export function loadEditorTools(): Promise<EditorToolkit> {
  return import('./editor-tools.js');
}
