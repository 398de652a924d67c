import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codes, type CodeInfo } from '../../grammar/codes.js';
import { codesMarkdown } from '../../grammar/codes-doc.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIRS = ['grammar', 'compiler', 'cli', 'runtime', 'lsp'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every code written as a string literal in the product's sources, with where. */
function emittedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(dir)) {
      if (file.endsWith('codes.ts')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/['"`](R\d{3})['"`]/g)) found.set(m[1]!, file.slice(REPO.length));
    }
  }
  return found;
}

describe('the code registry', () => {
  it('registers every code the sources emit, none of them retired', () => {
    const emitted = emittedCodes();
    expect(emitted.size).toBeGreaterThan(30);
    const registry: Record<string, CodeInfo> = codes;
    const unknown = [...emitted].filter(([code]) => registry[code] === undefined || registry[code]!.retired === true);
    expect(unknown).toEqual([]);
  });

  it('gives every code a title, a one-sentence description and a fix', () => {
    for (const [code, info] of Object.entries(codes) as [string, CodeInfo][]) {
      expect(code).toMatch(/^R[1-4]\d\d$/);
      expect(info.title, code).not.toBe('');
      expect(info.description, code).toMatch(/^[A-Z`<[].*\.$/);
      expect(info.fix, code).toMatch(/^[A-Z`].*\.$/);
    }
  });

  it('is what docs/codes.md says (regenerate with npm run docs:codes)', () => {
    const doc = readFileSync(join(REPO, 'docs/codes.md'), 'utf8');
    expect(doc).toBe(codesMarkdown());
    for (const code of Object.keys(codes)) expect(doc).toContain(`### ${code}: `);
  });
});
