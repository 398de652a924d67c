/**
 * The layering rules and their checker, for test/layers.test.ts. Module references are read from
 * the syntax tree (TypeScript's parser), not by pattern, so quoting, side-effect imports,
 * template literals, `require`, `import type` and comments cannot hide or fake one.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** A source file: its path from the repository root and its text. */
export interface Source {
  readonly file: string;
  readonly text: string;
}

/** What one top-level folder of product code may import from outside itself. */
export interface Rule {
  readonly folder: string;
  readonly says: string;
  readonly allowed: (target: string) => boolean;
}

const one = (...targets: string[]) => (target: string): boolean => targets.includes(target);

/** grammar -> compiler -> runtime, one way; cli/ and lsp/ only through the entries. */
export const RULES: readonly Rule[] = [
  { folder: 'grammar', says: 'imports nothing outside grammar/', allowed: () => false },
  {
    folder: 'compiler',
    says: 'imports only grammar/, runtime/contract.ts and runtime/index.ts',
    allowed: (t) => t.startsWith('grammar/') || t === 'runtime/contract.ts' || t === 'runtime/index.ts',
  },
  { folder: 'runtime', says: 'imports nothing outside runtime/', allowed: () => false },
  { folder: 'cli', says: 'imports only compiler/api.ts, runtime/index.ts and lsp/stdio.ts', allowed: one('compiler/api.ts', 'runtime/index.ts', 'lsp/stdio.ts') },
  { folder: 'lsp', says: 'imports only compiler/api.ts and runtime/index.ts', allowed: one('compiler/api.ts', 'runtime/index.ts') },
  { folder: 'bin', says: 'imports only cli/main.ts (built)', allowed: one('cli/main.ts') },
];

/** Product code besides the layered folders: checked for computed specifiers only. */
export const UNLAYERED = ['tools'];

/**
 * Imports whose specifier is computed, each for a reason no literal can serve: they load the
 * user's or a package's code, never one of ours. A new one fails the test until it is listed.
 */
export const COMPUTED: ReadonlyMap<string, string> = new Map([
  ['cli/module-importer.ts', 'a user module bundled to a data: URL'],
  ['grammar/chevrotain.ts', "chevrotain's ESM build, found beside the package's CommonJS entry"],
  ['runtime/daemon/loader.ts', 'the compiled rule file'],
  ['runtime/report/custom-module.ts', "the user's report module"],
  ['runtime/sources/snort/alert-socket.ts', 'koffi, by the path require.resolve found'],
  ['runtime/sources/snort/socket-worker.ts', 'koffi, by the path its parent resolved'],
]);

/** One module reference: its specifier, or null when it is computed at run time. */
interface Reference {
  readonly line: number;
  readonly specifier: string | null;
}

const literal = (node: ts.Node | undefined): string | null =>
  node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;

const isRequire = (callee: ts.Expression): boolean =>
  (ts.isIdentifier(callee) && callee.text === 'require') ||
  (ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && isRequire(callee.expression)) ||
  (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire');

const isImportMeta = (node: ts.Node | undefined, name: string): boolean =>
  node !== undefined && ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) && node.name.text === name;

/**
 * Every module `text` refers to: static and side-effect imports, re-exports, `import x = require`,
 * `import()`, `require()` (also through `createRequire(...)` and `require.resolve`), `import('…')`
 * types, and modules named by `import.meta.resolve('…')` or `new URL('…', import.meta.url)`
 * (workers, helper programs).
 */
export function references(file: string, text: string): Reference[] {
  const kind = /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: Reference[] = [];
  const add = (node: ts.Node, specifier: string | null): void => {
    found.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, specifier });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      add(node, literal(node.moduleSpecifier));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, literal(node.moduleReference.expression));
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, literal(node.argument.literal));
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || isRequire(node.expression) || isImportMeta(node.expression, 'resolve'))) {
      add(node, literal(node.arguments[0]));
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && isImportMeta(node.arguments?.[1], 'url')) {
      add(node, literal(node.arguments?.[0]));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The package's name and its entries by name (`rulec/runtime` -> runtime/index.ts), from package.json. */
function selfEntries(repo: string): { name: string; entries: Map<string, string> } {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; exports: Record<string, { default: string }> };
  const entries = new Map(Object.entries(pkg.exports).map(([sub, entry]) => [join(pkg.name, sub), ourSource(entry.default.replace(/^\.\//, ''))]));
  return { name: pkg.name, entries };
}

/** A repository path as the source file it stands for: built output and `.js` names to `.ts`. */
function ourSource(path: string): string {
  return path.replace(/^out\//, '').replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts');
}

/**
 * What `specifier` in `file` names, from the repository root (`../x` when outside it); null for
 * another package, a built-in or a data: URL; undefined when it cannot be told.
 */
function targetOf(repo: string, file: string, specifier: string, self: ReturnType<typeof selfEntries>): string | null | undefined {
  const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
  if (path.startsWith('.') || path.startsWith('/')) return ourSource(relative(repo, resolve(repo, dirname(file), path)));
  if (self.entries.has(specifier)) return self.entries.get(specifier);
  // Our own name without an export, or a subpath import (package.json has no "imports").
  if (specifier.startsWith('#') || specifier.split('/')[0] === self.name) return undefined;
  return null;
}

/** Every breach of `RULES` (and every unlisted computed import) in `sources`, as `file:line …`. */
export function violations(repo: string, sources: readonly Source[]): string[] {
  const self = selfEntries(repo);
  return sources.flatMap(({ file, text }) => {
    const folder = file.split('/')[0]!;
    const rule = RULES.find((r) => r.folder === folder);
    if (rule === undefined && !UNLAYERED.includes(folder)) return [];
    return references(file, text).flatMap(({ line, specifier }) => {
      const at = `${file}:${line}`;
      if (specifier === null) return COMPUTED.has(file) ? [] : [`${at}: an import whose specifier is computed`];
      const target = targetOf(repo, file, specifier, self);
      if (target === undefined) return [`${at}: '${specifier}' names no known module`];
      if (target === null || rule === undefined || target.startsWith(`${folder}/`) || rule.allowed(target)) return [];
      return [`${at} -> ${target} (${folder}/ ${rule.says})`];
    });
  });
}

/** The product's sources (TypeScript and JavaScript), outside node_modules. */
export function productSources(repo: string): Source[] {
  const walk = (dir: string): string[] =>
    ts.sys.readDirectory(join(repo, dir), ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'], ['**/node_modules'], ['**/*']).map((p) => relative(repo, p));
  return [...RULES.map((r) => r.folder), ...UNLAYERED].flatMap(walk).map((file) => ({ file, text: readFileSync(join(repo, file), 'utf8') }));
}
