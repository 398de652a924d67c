/**
 * The stages point one way: cli/ uses only the compiler's API, the runtime's entry and (for
 * `rulec lsp`) the language server's entry; lsp/ only the compiler's API and the runtime's entry;
 * the compiler uses the runtime only through its contract and entry; the runtime uses no other
 * folder. Read from the import specifiers of the sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './cli/run-cli.js';

function sources(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // lsp/vscode/node_modules, once the extension is packaged, is not ours.
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `from '...'` and `import('...')` target of `file` that leaves its own folder, as a path from the repository root. */
function importsOutside(file: string, folder: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specifiers
    .map((specifier) => relative(REPO, resolve(REPO, file, '..', specifier)).replace(/\.js$/, '.ts'))
    .filter((target) => !target.startsWith(`${folder}/`));
}

function offending(folder: string, allowed: (target: string) => boolean): string[] {
  return sources(folder).flatMap((file) => importsOutside(file, folder).filter((target) => !allowed(target)).map((target) => `${file} -> ${target}`));
}

describe('layers', () => {
  it('cli/ imports only compiler/api.ts, runtime/index.ts and lsp/stdio.ts', () => {
    expect(offending('cli', (target) => target === 'compiler/api.ts' || target === 'runtime/index.ts' || target === 'lsp/stdio.ts')).toEqual([]);
  });

  it('lsp/ imports only compiler/api.ts and runtime/index.ts', () => {
    expect(offending('lsp', (target) => target === 'compiler/api.ts' || target === 'runtime/index.ts')).toEqual([]);
  });

  it('compiler/ reaches the runtime only through runtime/contract.ts and runtime/index.ts', () => {
    expect(offending('compiler', (target) => !target.startsWith('runtime/') || target === 'runtime/contract.ts' || target === 'runtime/index.ts')).toEqual([]);
  });

  it('runtime/ imports nothing outside itself', () => {
    expect(offending('runtime', () => false)).toEqual([]);
  });
});
