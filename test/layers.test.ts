/**
 * The stages point one way: grammar/ imports nothing of ours; the compiler uses grammar/ and the
 * runtime only through its contract and entry; the runtime uses no other folder; cli/ uses only
 * the compiler's API, the runtime's entry and (for `rulec lsp`) the language server's entry;
 * lsp/ only the compiler's API and the runtime's entry. Read from the syntax trees of the
 * sources (test/layers-check.ts); the planted sources below prove each rule can fail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPUTED, productSources, references, RULES, violations } from './layers-check.js';
import { REPO } from './cli/run-cli.js';

describe('layers', () => {
  const sources = productSources(REPO);

  it('reads every folder of product code', () => {
    for (const folder of RULES.map((r) => r.folder)) expect(sources.some((s) => s.file.startsWith(`${folder}/`)), folder).toBe(true);
    expect(sources.map((s) => s.file)).toContain('lsp/vscode/extension.js');
    expect(sources.map((s) => s.file)).toContain('bin/rulec.js');
    // And reads their imports: cli/load-rules.ts uses both entries.
    const loadRules = sources.find((s) => s.file === 'cli/load-rules.ts')!;
    expect(references(loadRules.file, loadRules.text).map((r) => r.specifier)).toEqual(expect.arrayContaining(['../compiler/api.js', '../runtime/index.js']));
  });

  it('no source breaks a rule, and no import has a computed specifier beyond the listed ones', () => {
    expect(violations(REPO, sources)).toEqual([]);
  });

  it('each listed computed import is still there (the list does not outlive its reasons)', () => {
    for (const file of COMPUTED.keys()) {
      expect(existsSync(join(REPO, file)), file).toBe(true);
      expect(references(file, readFileSync(join(REPO, file), 'utf8')).some((r) => r.specifier === null), file).toBe(true);
    }
  });
});

/** Each planted file breaks exactly one rule and must be flagged at its line. */
const PLANTED: readonly [file: string, text: string, flagged: string][] = [
  ['cli/x.ts', "import '../runtime/engine/engine.js';", 'cli/x.ts:1 -> runtime/engine/engine.ts'],
  ['cli/x.ts', 'export { Engine } from "../runtime/engine/engine.js";', 'cli/x.ts:1 -> runtime/engine/engine.ts'],
  ['cli/x.ts', 'const m = await import(`../runtime/engine/engine.js`);', 'cli/x.ts:1 -> runtime/engine/engine.ts'],
  ['cli/x.ts', "import type { Rule } from '../compiler/model.js';", 'cli/x.ts:1 -> compiler/model.ts'],
  ['cli/x.ts', "import { x } from 'rulec/contract';", 'cli/x.ts:1 -> runtime/contract.ts'],
  ['cli/x.ts', "import { x } from 'rulec/internal';", "cli/x.ts:1: 'rulec/internal' names no known module"],
  ['cli/x.ts', "import { x } from '#internal';", "cli/x.ts:1: '#internal' names no known module"],
  ['cli/x.ts', 'const name = "../runtime/engine/engine.js";\nconst m = await import(name);', 'cli/x.ts:2: an import whose specifier is computed'],
  ['cli/x.ts', "const m = await import(`../runtime/${'engine'}/engine.js`);", 'cli/x.ts:1: an import whose specifier is computed'],
  ['runtime/x.ts', "import '../compiler/api.js';", 'runtime/x.ts:1 -> compiler/api.ts'],
  ['runtime/x.ts', "import { createRequire } from 'node:module';\nconst m = createRequire(import.meta.url)('../compiler/api.js');", 'runtime/x.ts:2 -> compiler/api.ts'],
  ['runtime/x.ts', "new Worker(new URL('../compiler/worker.js', import.meta.url));", 'runtime/x.ts:1 -> compiler/worker.ts'],
  ['runtime/x.ts', "import { code } from '../grammar/codes.js';", 'runtime/x.ts:1 -> grammar/codes.ts'],
  ['runtime/x.ts', "spawn(process.execPath, [fileURLToPath(import.meta.resolve('../cli/main.js'))]);", 'runtime/x.ts:1 -> cli/main.ts'],
  ['compiler/x.ts', "import { main } from '../cli/main.js';", 'compiler/x.ts:1 -> cli/main.ts'],
  ['compiler/x.ts', "import { serveStdio } from '../lsp/stdio.js';", 'compiler/x.ts:1 -> lsp/stdio.ts'],
  ['compiler/x.ts', "type E = typeof import('../runtime/engine/engine.js');", 'compiler/x.ts:1 -> runtime/engine/engine.ts'],
  ['grammar/x.ts', "import type { X } from '../compiler/api.js';", 'grammar/x.ts:1 -> compiler/api.ts'],
  ['grammar/x.ts', "import '../runtime/index.js';", 'grammar/x.ts:1 -> runtime/index.ts'],
  ['grammar/x.ts', "export * from '../cli/main.js';", 'grammar/x.ts:1 -> cli/main.ts'],
  ['grammar/x.ts', "import x = require('../lsp/server.js');", 'grammar/x.ts:1 -> lsp/server.ts'],
  ['lsp/x.ts', "import { CODES } from '../grammar/codes.js';", 'lsp/x.ts:1 -> grammar/codes.ts'],
  ['lsp/x.ts', "import { check } from '../compiler/pipeline.js';", 'lsp/x.ts:1 -> compiler/pipeline.ts'],
  ['lsp/vscode/x.js', "const c = require('../../compiler/pipeline.js');", 'lsp/vscode/x.js:1 -> compiler/pipeline.ts'],
  ['bin/x.js', "const { Engine } = await import('../out/runtime/engine/engine.js');", 'bin/x.js:1 -> runtime/engine/engine.ts'],
  ['tools/x.ts', 'const m = await import(process.argv[2]);', 'tools/x.ts:1: an import whose specifier is computed'],
];

describe('layers check (planted sources)', () => {
  it.each(PLANTED)('%s: flags %j', (file, text, flagged) => {
    expect(violations(REPO, [{ file, text }]).map((v) => v.replace(/ \(.*\)$/, ''))).toEqual([flagged]);
  });

  it('passes what the rules allow, and what only looks like an import', () => {
    const allowed = [
      ['cli/x.ts', 'import { main } from "../compiler/api.js";\nimport \'../runtime/index.js\';\nconst l = await import(`../lsp/stdio.js`);'],
      ['compiler/x.ts', "import '../grammar/codes.js';\nimport type { C } from '../runtime/contract.js';\nimport { r } from 'rulec/runtime';"],
      ['lsp/x.ts', "import { a } from '../compiler/api.js';\nimport { b } from '../runtime/index.js';\nimport { c } from './stdio.js';"],
      ['runtime/x.ts', "import { a } from './engine/engine.js';\nimport { readFileSync } from 'node:fs';\nimport 'openpgp';"],
      ['grammar/x.ts', "// import '../compiler/api.js';\nconst s = \"import('../runtime/index.js')\";\nconst t = `from '../cli/main.js'`;"],
      ['bin/x.js', "const { main } = await import('../out/cli/main.js');"],
      ['bench/x.ts', "import { Engine } from '../runtime/engine/engine.js';"],
    ];
    expect(violations(REPO, allowed.map(([file, text]) => ({ file: file!, text: text! })))).toEqual([]);
  });
});
