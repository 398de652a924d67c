/**
 * Fuzzing the front end: seed fixtures and the starter file, mutated with a fixed-seed PRNG
 * (characters and lines inserted, deleted, duplicated, swapped; syntax fragments and odd
 * Unicode inserted), through load (parse) and check, with a sample through generate, and the
 * diagnostics through the CLI's renderers. No exception may escape and every diagnostic span
 * must lie inside the file it names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STARTER_RULES } from '../../cli/commands/starter-rules.js';
import { renderGithub, renderText, toJson } from '../../cli/render.js';
import { check } from '../../compiler/check/index.js';
import { generateJavaScript } from '../../compiler/generate/index.js';
import { loadProgram, type LoadHost } from '../../compiler/load.js';
import { seededRandom } from '../../compiler/seeded-random.js';
import type { Diagnostic, Span } from '../../grammar/diagnostic.js';
import type { RuleModule } from '../../runtime/contract.js';
import { Prefilter } from '../../runtime/prefilter/prefilter.js';
import { hasErrors } from '../../grammar/diagnostic.js';

// A fixed number of files from a fixed seed: the same inputs on every machine, however busy, and
// a run that ends by count (a time budget made the count, and the verdict, depend on the load).
const FILES = 3_000;
const GENERATE_SAMPLE = 300;

const seedDir = new URL('../fixtures/seeds/', import.meta.url);
const SEEDS = [
  ...readdirSync(seedDir)
    .filter((name) => name.endsWith('.rules'))
    .sort()
    .map((name) => readFileSync(new URL(name, seedDir), 'utf8')),
  STARTER_RULES,
];

const FRAGMENTS = [
  '<<', '<<__X', '<<EOF\n', '\n__X\n', '"', "'", '[', ']', '[x]\n', '=', '=~', '!~', ' =~ /', '/', '/i', '\\', '\\\n',
  '$', '$1', '${', '${99}', '$@', '#', ';', 'do ignore\n', 'do filter\n', 'end\n', 'source "other.rules"\n',
  'source "main.rules"\n', 'source "missing.rules"\n', 'set ', 'module M alias /p\n', 'alias <<__A\n', 'watch <<__W\n',
  '(', ')', '(?<n>', '(?P=n)', '*', '+', '{2,}', '\t', '\r\n', '\n', ' ', '“', '”', 'é', 'İ', '😀', '\u2028', '\u0000',
  '\uD800', '\uFEFF', 'path = /x\n', 'upbound_action = /bin/echo $1\n', 'upbound_freq = 5/', 'size = 9999999999999G\n',
];

function mutate(text: string, random: () => number): string {
  const pick = (n: number): number => Math.floor(random() * n);
  let out = text;
  const rounds = 1 + pick(8);
  for (let r = 0; r < rounds; r++) {
    const at = pick(out.length + 1);
    const lines = out.split('\n');
    const line = pick(lines.length);
    switch (pick(9)) {
      case 0: // insert a character from the text itself
        out = out.slice(0, at) + out.charAt(pick(out.length)) + out.slice(at);
        break;
      case 1: // delete a run of characters
        out = out.slice(0, at) + out.slice(at + 1 + pick(8));
        break;
      case 2: // duplicate a run
        out = out.slice(0, at) + out.slice(at, at + 1 + pick(20)) + out.slice(at);
        break;
      case 3: // swap two characters
        if (at + 1 < out.length) out = out.slice(0, at) + out.charAt(at + 1) + out.charAt(at) + out.slice(at + 2);
        break;
      case 4: // insert a syntax fragment
      case 5:
        out = out.slice(0, at) + FRAGMENTS[pick(FRAGMENTS.length)]! + out.slice(at);
        break;
      case 6: // delete a line
        lines.splice(line, 1);
        out = lines.join('\n');
        break;
      case 7: // duplicate a line
        lines.splice(line, 0, lines[line] ?? '');
        out = lines.join('\n');
        break;
      default: {
        // swap two lines
        const other = pick(lines.length);
        [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
        out = lines.join('\n');
      }
    }
  }
  return out;
}

function outside(span: Span, texts: ReadonlyMap<string, string>): string | null {
  const text = texts.get(span.file);
  if (text === undefined) return `span names unknown file ${JSON.stringify(span.file)}`;
  const ok = Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length;
  return ok ? null : `span ${span.start}..${span.end} outside ${span.file} (length ${text.length})`;
}

function spanProblems(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    for (const span of [d.span, ...(d.labels ?? []).map((l) => l.span)]) {
      const problem = outside(span, texts);
      if (problem !== null) problems.push(`${d.code} ${d.message}: ${problem}`);
    }
  }
  return problems;
}

/** Loads a generated module from a data: URL and runs every matcher and prefilter on the rule text's own lines. */
async function exercise(js: string, lines: readonly string[]): Promise<void> {
  const module = ((await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)) as { default: RuleModule }).default;
  for (const line of lines) {
    for (const source of module.sources) {
      const candidates = new Set(new Prefilter(source.items, source.literals).candidates(line));
      for (const i of source.items) {
        if (module.items[i]!.match(line) !== null && !candidates.has(i)) throw new Error(`prefilter dropped item ${i} on ${JSON.stringify(line)}`);
      }
    }
  }
}

describe('fuzz: load → check (→ generate)', () => {
  it(`survives ${FILES} mutated rule files`, async () => {
    const random = seededRandom(0x5eed);
    const started = Date.now();
    let ran = 0;
    let withErrors = 0;
    let generated = 0;
    for (; ran < FILES; ran++) {
      const texts = new Map([
        ['main.rules', mutate(SEEDS[Math.floor(random() * SEEDS.length)]!, random)],
        ['other.rules', mutate(SEEDS[Math.floor(random() * SEEDS.length)]!, random)],
      ]);
      const host: LoadHost = { readFile: (name) => texts.get(name) };
      let diagnostics: Diagnostic[];
      let clean = false;
      try {
        const loaded = loadProgram('main.rules', host);
        const checked = check(loaded.value);
        diagnostics = [...loaded.diagnostics, ...checked.diagnostics];
        clean = !hasErrors(diagnostics);
        if (clean && generated < GENERATE_SAMPLE) {
          generated++;
          const output = generateJavaScript(checked.value, 'esm');
          diagnostics.push(...output.diagnostics);
          if (output.value !== null) await exercise(output.value, texts.get('main.rules')!.split('\n'));
        }
      } catch (error) {
        throw new Error(`exception on input ${JSON.stringify(texts.get('main.rules'))}: ${(error as Error).stack}`);
      }
      if (!clean) withErrors++;
      const problems = spanProblems(diagnostics, texts);
      if (problems.length > 0) throw new Error(`${problems.join('\n')}\ninput: ${JSON.stringify(texts.get('main.rules'))}`);
      // The CLI's renderers take whatever the stages report.
      renderText(diagnostics, texts);
      renderGithub(diagnostics, texts);
      for (const d of toJson(diagnostics, texts)) {
        if (d.line < 1 || d.column < 1 || d.endLine < d.line || (d.endLine === d.line && d.endColumn < d.column)) {
          throw new Error(`bad position ${JSON.stringify(d)}`);
        }
      }
    }
    console.log(`fuzz: ${ran} files in ${Date.now() - started} ms, ${withErrors} with errors, ${generated} generated`);
    expect(ran).toBe(FILES);
    expect(withErrors).toBeGreaterThan(ran / 10); // the mutations really do break files
    expect(generated).toBeGreaterThan(0);
  }, 120_000);
});
