import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { compileFunction } from 'node:vm';
import { CONTRACT_VERSION, type RuleModule } from '../contract.js';

/** A module accepted by `checkModule`, or why it was refused. */
export type LoadResult = { readonly value: RuleModule; readonly error: null } | { readonly value: null; readonly error: string };

/**
 * Refuses anything that is not a `RuleModule` of this runtime's contract version: a module
 * built by another compiler version may expect fields or behaviour this runtime lacks.
 */
export function checkModule(candidate: unknown, origin: string): LoadResult {
  if (typeof candidate !== 'object' || candidate === null) {
    return { value: null, error: `${origin}: not a rule module (no default export object)` };
  }
  const module = candidate as Partial<RuleModule>;
  if (module.contractVersion !== CONTRACT_VERSION) {
    return {
      value: null,
      error: `${origin}: contract version ${String(module.contractVersion)} does not match this runtime's ${CONTRACT_VERSION}; rebuild it with this rulec`,
    };
  }
  if (!Array.isArray(module.items) || !Array.isArray(module.sources) || !Array.isArray(module.blocks)) {
    return { value: null, error: `${origin}: not a rule module (items, sources or blocks missing)` };
  }
  return { value: module as RuleModule, error: null };
}

/** Imports a generated module file and checks its default export; never throws. */
export function importModule(file: string): Promise<LoadResult> {
  return importChecked(pathToFileURL(resolve(file)).href, file);
}

/**
 * Evaluates a generated module compiled as a CommonJS body (`compileToJs(..., 'script')`: its
 * only imports are types). Not import() of a data: URL: the module map keeps every module it
 * ever loaded, so each SIGUSR1 reload kept the rule set it replaced (13 MB a reload of 1,500
 * items, measured). Not `vm.runInThisContext` or `new Function` either: V8's compilation cache
 * keeps what they compiled by its source (0.7 MB a reload of 300 items, measured);
 * `compileFunction` does not go through it. Nothing is written, so an unusable TMPDIR cannot
 * stop `rulec run FILE.rules` either. Never throws.
 */
export function evaluateModuleScript(js: string, origin: string): LoadResult {
  try {
    const body = compileFunction(js, ['exports'], { filename: origin }) as (exports: Record<string, unknown>) => void;
    const exports: Record<string, unknown> = {};
    body(exports);
    return checkModule(exports.default, origin);
  } catch (error) {
    return { value: null, error: `${origin}: cannot load: ${(error as Error).message}` };
  }
}

async function importChecked(url: string, origin: string): Promise<LoadResult> {
  try {
    const imported = (await import(url)) as { default?: unknown };
    return checkModule(imported.default, origin);
  } catch (error) {
    return { value: null, error: `${origin}: cannot load: ${(error as Error).message}` };
  }
}
