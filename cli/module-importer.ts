/**
 * How `rulec report` loads custom modules (`module NAME ALIAS PATH`): JavaScript as it is,
 * TypeScript bundled by esbuild first (it is the compiler's dependency), the bundle kept in the
 * compile cache under the files esbuild read, so a report of an unchanged module neither starts
 * esbuild nor bundles again.
 */
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cacheDirectory, lookupCompiled, storeCompiled } from '../compiler/api.js';
import { importJavaScript, type ModuleImporter } from '../runtime/index.js';
import type { Io } from './command.js';

/** The installed esbuild's version, read from its package.json (esbuild itself is loaded only to bundle). */
function esbuildVersion(): string {
  const file = createRequire(import.meta.url).resolve('esbuild/package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The module importer of a report run with `io`'s environment (where the cache is) and error stream. */
export function moduleImporter(io: Pick<Io, 'env' | 'err'>): ModuleImporter {
  return async (file) => {
    if (!/\.[cm]?tsx?$/.test(file)) return importJavaScript(file);
    const js = await bundled(file, io);
    return (await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as Record<string, unknown>;
  };
}

/** The ESM bundle of the TypeScript module `file` (absolute), from the cache or made now. */
async function bundled(file: string, io: Pick<Io, 'env' | 'err'>): Promise<string> {
  const dir = cacheDirectory(io.env);
  const key = { path: file, cwd: dirname(file), kind: 'module', tool: `esbuild ${esbuildVersion()}` } as const;
  const found = lookupCompiled(dir, key);
  if ('hit' in found) return found.hit.script;
  if ('refused' in found) io.err(`rulec: not using the compile cache: ${found.refused}\n`);
  const { build } = await import('esbuild');
  const fileUrl = pathToFileURL(file).href;
  const result = await build({
    entryPoints: [file],
    absWorkingDir: dirname(file),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Imported from a data: URL, the module's CommonJS dependencies resolve from its own place.
    banner: { js: `import { createRequire as __rulecRequire } from 'node:module'; const require = __rulecRequire(${JSON.stringify(fileUrl)});` },
  });
  const js = result.outputFiles[0]?.text ?? '';
  if ('refused' in found) return js;
  // Every file esbuild read (names relative to absWorkingDir; other namespaces are not files).
  const inputs = new Map<string, Uint8Array>();
  for (const name of Object.keys(result.metafile.inputs)) {
    if (/^[a-z-]+:/.test(name)) continue;
    const path = isAbsolute(name) ? name : resolve(dirname(file), name);
    try {
      inputs.set(path, readFileSync(path));
    } catch {
      // Gone meanwhile: the bundle is not kept (an input must be hashed to be checked).
      return js;
    }
  }
  const problem = storeCompiled(dir, key, inputs, { script: js, report: '', diagnostics: [] });
  if (problem !== null) io.err(`rulec: bundled ${file} without keeping it in the compile cache: ${problem}\n`);
  return js;
}
