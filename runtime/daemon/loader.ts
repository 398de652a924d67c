import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
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
 * Imports generated JavaScript from memory through a data: URL (its only imports are types, so
 * it needs no directory to resolve from): nothing is written, so an unusable TMPDIR cannot stop
 * `rulec run FILE.rules`. Each call evaluates a fresh copy; never throws.
 */
export function importModuleText(js: string, origin: string): Promise<LoadResult> {
  return importChecked(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`, origin);
}

async function importChecked(url: string, origin: string): Promise<LoadResult> {
  try {
    const imported = (await import(url)) as { default?: unknown };
    return checkModule(imported.default, origin);
  } catch (error) {
    return { value: null, error: `${origin}: cannot load: ${(error as Error).message}` };
  }
}
