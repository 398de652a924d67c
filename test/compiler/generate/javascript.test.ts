/**
 * The generator prints JavaScript itself (no TypeScript loaded to run a rule file): it must be
 * exactly what TypeScript's transpiler makes of the TypeScript module, and its string literals
 * exactly what TypeScript's printer writes, whatever the text.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { compile, compileToJs } from '../../../compiler/pipeline.js';
import { generate, generateJavaScript } from '../../../compiler/generate/index.js';
import { identifier, literal, print, quote } from '../../../compiler/generate/literal.js';
import { seededRandom } from '../../../compiler/seeded-random.js';
import { REPO } from '../../cli/run-cli.js';
import { hostileModel, item, model, regex } from './models.js';

function transpiled(text: string, format: 'esm' | 'script'): string {
  const module = format === 'esm' ? ts.ModuleKind.ES2022 : ts.ModuleKind.CommonJS;
  return ts.transpileModule(text, { compilerOptions: { module, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } }).outputText;
}

const golden = join(REPO, 'test/golden');
const RULE_FILES = [
  ...readdirSync(golden, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(golden, e.name, 'input.rules')),
  ...readdirSync(join(REPO, 'test/fixtures/seeds')).filter((n) => n.endsWith('.rules')).map((n) => join(REPO, 'test/fixtures/seeds', n)),
  join(REPO, 'rules/ssh-brute-force.rules'),
  join(REPO, 'rules/demo.rules'),
];

describe('generated JavaScript', () => {
  it.each(['script', 'esm'] as const)('is what TypeScript transpiles the TypeScript module into (%s), for the golden, seed and shipped rule files', (format) => {
    let compared = 0;
    for (const file of RULE_FILES) {
      const typed = compile(file).files[0];
      if (typed === undefined) continue;
      expect(compileToJs(file, undefined, format).js, file).toBe(transpiled(typed.text, format));
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('is what TypeScript transpiles for hostile text, the lookahead matcher and a module without items', () => {
    const look = model({ items: [item('LOOK', '/l', { ...regex('(\\d+)(\\s)'), lookGroup: 2 })] });
    for (const input of [hostileModel(), look, model()]) {
      for (const format of ['script', 'esm'] as const) {
        const js = generateJavaScript(input, format);
        expect(js.diagnostics).toEqual([]);
        expect(js.value).toBe(transpiled(generate(input).value[0]!.text, format));
      }
    }
    expect(generateJavaScript(look, 'script').value).toContain('function lookaheadMatcher(re, g)');
  });
});

/** TypeScript's own printing of a string literal, as the generator printed before it printed itself. */
function typeScriptQuote(text: string): string {
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const context = ts.createSourceFile('p.ts', '', ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return printer.printNode(ts.EmitHint.Unspecified, ts.factory.createStringLiteral(text), context);
}

describe('the printer', () => {
  it('quotes any string as TypeScript does, and the literal reads back as the same string', () => {
    const random = seededRandom(16);
    // Units that need care: quotes, backslash, NUL before a digit, controls, separators, non-ASCII, lone surrogates.
    const units = ['"', "'", '`', '\\', '\0', '1', '\n', '\r', '\t', '\v', '\b', '\f', '\x1b', '\x7f', '\u0085', '\u2028', '\u2029', 'é', '\uD83D', '\uDE00', '$', '{', 'a', ' ', '\uFEFF'];
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: Math.floor(random() * 12) }, () => units[Math.floor(random() * units.length)]).join('');
      const quoted = quote(text);
      expect(quoted).toBe(typeScriptQuote(text));
      // ASCII source with no raw line break, which reads back as the very same UTF-16 units.
      expect(quoted).toMatch(/^[\x20-\x7f]*$/);
      expect(new Function(`return ${quoted};`)()).toBe(text);
    }
  });

  it('prints numbers (negative zero too), nested data and the __proto__ key as TypeScript did', () => {
    // An own `__proto__` key, as a rule file's setting name can be: computed, so it stays a key.
    const data = { a: [1, -2, -0, 1e21, 0.5], b: [], c: {}, d: [{ x: null }, ['s']], 'not id': true };
    Object.defineProperty(data, '__proto__', { value: 'p', enumerable: true });
    expect(print(literal(data), { types: true })).toMatchInlineSnapshot(`
      "{
          a: [1, -2, -0, 1e+21, 0.5],
          b: [],
          c: {},
          d: [
              {
                  x: null
              },
              [
                  "s"
              ]
          ],
          "not id": true,
          ["__proto__"]: "p"
      }"
    `);
  });

  it('refuses a name that is not an identifier, wherever it comes from', () => {
    expect(() => identifier('re0; process.exit(1)')).toThrow(/not an identifier/);
    expect(() => print({ kind: 'identifier', name: 'a b' }, { types: false })).toThrow(/not an identifier/);
    expect(() => print({ kind: 'member', object: identifier('re0'), name: 'test(x)' }, { types: false })).toThrow(/not an identifier/);
    expect(() => literal(Number.NaN)).toThrow(/no literal/);
  });
});
