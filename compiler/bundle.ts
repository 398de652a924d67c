/**
 * `bundle.mjs`: the generated module and the runtime daemon in one ESM file that runs with
 * `node bundle.mjs` on a machine without node_modules. esbuild inlines every dependency; the
 * banner gives the CommonJS ones the `require` they expect. The entry only hands the module to
 * the runtime's `bundleMain` (runtime/index.ts), which sets the process up before it loads it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import type { Diagnostic, Result } from '../grammar/diagnostic.js';
import type { GeneratedFile } from './generate/index.js';
import { BUNDLE_HEAD, BUNDLE_TAIL } from './bundle-marks.js';
import { packageRoot } from './manifest.js';

const GENERATED = 'rulec-generated';

const BANNER = [
  BUNDLE_HEAD,
  "import { createRequire as __rulecCreateRequire } from 'node:module';",
  'const require = __rulecCreateRequire(import.meta.url);',
].join('\n');

/** The runtime's public entry relative to the package root: built JS when present, else the source. */
function runtimeEntry(root: string = packageRoot()): string | null {
  for (const candidate of ['out/runtime/index.js', 'runtime/index.ts']) {
    if (existsSync(join(root, candidate))) return candidate;
  }
  return null;
}

/** Serves the generated module from memory, so no path of the output directory reaches the bundle. */
function generatedModule(module: GeneratedFile, root: string): Plugin {
  return {
    name: GENERATED,
    setup(plugin) {
      plugin.onResolve({ filter: /^rulec-generated$/ }, () => ({ path: module.path, namespace: GENERATED }));
      plugin.onLoad({ filter: /.*/, namespace: GENERATED }, () => ({ contents: module.text, loader: 'ts', resolveDir: root }));
    },
  };
}

function failure(file: string, message: string): Diagnostic {
  return { code: 'R401', severity: 'error', message: `bundling failed: ${message}`, span: { file, start: 0, end: 0 } };
}

/**
 * Bundles the generated module with the runtime daemon: the bundle calls `bundleMain` with a
 * loader of the module (esbuild keeps an inlined module behind `import()` unevaluated until it is
 * called) and sets the exit code it returns. `ruleFile` names the rule file in diagnostics.
 */
export async function bundleModule(module: GeneratedFile, ruleFile: string): Promise<Result<string | null>> {
  const root = packageRoot();
  const entry = runtimeEntry(root);
  if (entry === null) {
    return { value: null, diagnostics: [failure(ruleFile, 'the runtime entry runtime/index is not part of this installation')] };
  }
  const contents = [
    "import { fileURLToPath } from 'node:url';",
    `import { bundleMain } from ${JSON.stringify(`./${entry}`)};`,
    `process.exitCode = await bundleMain(() => import(${JSON.stringify(GENERATED)}), fileURLToPath(import.meta.url), process.argv.slice(2));`,
  ].join('\n');
  try {
    // Loaded here: the other stages (check, compile to JavaScript) do without it.
    const { build } = await import('esbuild');
    const result = await build({
      stdin: { contents, resolveDir: root, sourcefile: 'rulec-bundle-entry.ts', loader: 'ts' },
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      banner: { js: BANNER },
      footer: { js: BUNDLE_TAIL },
      legalComments: 'none',
      // esbuild names each inlined file in a comment; through a symlinked node_modules (pnpm,
      // a shared store) the real path would put the machine's layout into the bundle.
      preserveSymlinks: true,
      logLevel: 'silent',
      plugins: [generatedModule(module, root)],
    });
    const output = result.outputFiles[0];
    if (output === undefined) return { value: null, diagnostics: [failure(ruleFile, 'esbuild produced no output')] };
    return { value: output.text, diagnostics: [] };
  } catch (error) {
    const messages = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text) ?? [(error as Error).message];
    return { value: null, diagnostics: messages.map((m) => failure(ruleFile, m)) };
  }
}
