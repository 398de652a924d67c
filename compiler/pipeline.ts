/**
 * The compiler's stages chained: check, compile, build, and compile to JavaScript for running in
 * memory. Loaded through `loadCompiler()` (api.ts), since it brings the parser and the regex
 * tools (esbuild only when a build bundles). Stages never throw on bad rule files; problems a
 * user must fix outside the rule text (an unreadable entry, an unwritable output directory) are
 * `UserError`s, printed without a stack.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { hasErrors } from '../grammar/diagnostic.js';
import { bundleModule } from './bundle.js';
import { emitFiles } from './emit.js';
import { generate, generateJavaScript, type GeneratedFile } from './generate/index.js';
import { checkEntry, renameDiagnostic, type CheckedFile, type Origin } from './check-files.js';
import { createManifest, manifestText } from './manifest.js';
import type { RuleModel } from './model.js';
import { UserError } from './user-error.js';

export { checkFiles, type CheckedFile, type Origin } from './check-files.js';

/** A checked and generated entry file. `model` is null when loading or checking found errors. */
export interface Compiled extends CheckedFile {
  readonly model: RuleModel | null;
  readonly files: readonly GeneratedFile[];
}

/** A finished `build`: the files written (empty when diagnostics have errors). */
export interface Built extends Compiled {
  readonly written: readonly string[];
}

/**
 * `compileToJs`: the module as JavaScript, or null on errors: an ES module whose default export
 * is the RuleModule, or (format `script`) a CommonJS body that sets `exports.default`, which
 * the runtime's `evaluateModuleScript` evaluates without import()'s module map.
 */
export interface CompiledJs extends CheckedFile {
  readonly js: string | null;
}

/** Checks and generates one entry file. */
export function compile(path: string, origin?: Origin): Compiled {
  const checked = checkEntry(path, origin);
  if (checked.model === null) return { path, diagnostics: checked.diagnostics, sources: checked.sources, model: null, files: [] };
  const generated = generate(checked.model);
  const diagnostics = [...checked.diagnostics, ...generated.diagnostics.map((d) => renameDiagnostic(d, checked.rooted.display))];
  return { path, diagnostics, sources: checked.sources, model: hasErrors(diagnostics) ? null : checked.model, files: generated.value };
}

/**
 * Builds `<name>.ts`, `bundle.mjs` and `manifest.json` into `outDir`. Writes nothing when
 * any stage reports an error. Relative names (the entry, `outDir`) are taken from `at.cwd`
 * (default the process's); `outDir` is named as given in messages and `written`.
 */
export async function build(path: string, outDir: string, at: { readonly cwd?: string } = {}): Promise<Built> {
  const checked = checkEntry(path, at.cwd === undefined ? undefined : { cwd: at.cwd });
  const onDisk = checked.rooted.onDisk ?? ((name: string) => name);
  const fail = (diagnostics: readonly Diagnostic[]): Built => ({
    path,
    diagnostics,
    sources: checked.sources,
    model: null,
    files: [],
    written: [],
  });
  if (checked.model === null) return fail(checked.diagnostics);
  const model = checked.model;
  const display = checked.rooted.display;
  const generated = generate(model);
  const module = generated.value[0];
  if (module === undefined || hasErrors(generated.diagnostics)) {
    return fail([...checked.diagnostics, ...generated.diagnostics.map((d) => renameDiagnostic(d, display))]);
  }
  const bundled = await bundleModule(module, model.name);
  const diagnostics = [...checked.diagnostics, ...generated.diagnostics, ...bundled.diagnostics].map((d) => renameDiagnostic(d, display));
  if (bundled.value === null || hasErrors(diagnostics)) return fail(diagnostics);

  // Hash the bytes on disk, not the decoded text (a BOM or invalid UTF-8 must change the hash).
  const inputs = new Map<string, Uint8Array | string>();
  for (const file of model.files) {
    try {
      inputs.set(file, readFileSync(onDisk(display(file))));
    } catch {
      inputs.set(file, checked.texts.get(file) ?? '');
    }
  }
  const outputs = [
    { path: module.path, data: module.text },
    { path: 'bundle.mjs', data: bundled.value },
  ];
  const manifest = { path: 'manifest.json', data: manifestText(createManifest(model, inputs, outputs)) };
  let written: string[];
  try {
    written = emitFiles(outDir, [...outputs, manifest], at.cwd);
  } catch (error) {
    throw new UserError(`cannot write to ${outDir}: ${(error as Error).message}`);
  }
  return { path, diagnostics, sources: checked.sources, model, files: generated.value, written };
}

/**
 * Compiles one entry file to the JavaScript of its module, for loading in memory
 * (`rulec run FILE.rules`): a plain ES module whose default export is the RuleModule, or
 * (`script`) the CommonJS body the runtime's `evaluateModuleScript` takes. No TypeScript is
 * loaded: the generator prints JavaScript itself.
 */
export function compileToJs(path: string, origin?: Origin, format: 'esm' | 'script' = 'esm'): CompiledJs {
  const checked = checkEntry(path, origin);
  if (checked.model === null) return { path, diagnostics: checked.diagnostics, sources: checked.sources, js: null };
  const generated = generateJavaScript(checked.model, format);
  const diagnostics = [...checked.diagnostics, ...generated.diagnostics.map((d) => renameDiagnostic(d, checked.rooted.display))];
  return { path, diagnostics, sources: checked.sources, js: hasErrors(diagnostics) ? null : generated.value };
}
