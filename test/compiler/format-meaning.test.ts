/**
 * `rulec fmt` never changes meaning: every seed example, every shipped rule file and every
 * golden input formats to a file that compiles to the same module, with the same findings.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatRules } from '../../grammar/format.js';
import { compile } from '../../compiler/pipeline.js';
import type { LoadHost } from '../../compiler/load.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const inDir = (dir: string, keep: (name: string) => boolean): string[] =>
  readdirSync(join(REPO, dir)).filter(keep).map((name) => join(dir, name));

const files = [
  ...inDir('test/fixtures/seeds', (name) => name.endsWith('.rules')),
  ...inDir('rules', (name) => name.endsWith('.rules')),
  ...inDir('rules/examples', (name) => name.endsWith('.rules')),
  // Golden inputs that compile (a broken one, with expected.diag, may not even parse).
  ...inDir('test/golden', (name) => existsSync(join(REPO, 'test/golden', name, 'expected.ts'))).map((dir) => join(dir, 'input.rules')),
];

/** Compiles `text` as the file `name`, reading anything it includes from disk. */
function compiled(name: string, text: string) {
  const host: LoadHost = {
    readFile: (file) => (file === name ? text : readFileOrUndefined(join(REPO, file))),
  };
  const result = compile(name, host);
  return {
    module: result.files.map((file) => file.text),
    findings: result.diagnostics.map((d) => `${d.severity}[${d.code}] ${d.message}`),
  };
}

function readFileOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

describe('formatting keeps meaning', () => {
  it('has files of every kind to format', () => {
    expect(files.filter((f) => f.startsWith('test/fixtures/seeds/')).length).toBeGreaterThanOrEqual(18);
    expect(files.filter((f) => f.startsWith('rules/')).length).toBeGreaterThanOrEqual(3);
    expect(files.filter((f) => f.startsWith('test/golden/')).length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s', (file) => {
    const text = readFileSync(join(REPO, file), 'utf8');
    const formatted = formatRules(text, file).value;
    expect(formatted).not.toBeNull();
    expect(formatRules(formatted!, file).value).toBe(formatted);
    expect(compiled(file, formatted!)).toEqual(compiled(file, text));
  });
});
