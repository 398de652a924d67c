/**
 * The shared prefilter (literals from compiler/generate/prefilter.ts, scan from
 * runtime/prefilter: a gram index on ASCII lines when every literal is long, else the
 * Aho–Corasick automaton) against the alternatives it was chosen over, on 200 rules made from
 * real log templates and the corpus lines they describe: `includes` per rule, one combined
 * alternation regex as a quick reject followed by `includes` per rule, and running every regex
 * with no prefilter (the baseline). All strategies must find the same matches. The prefilter's
 * own scan is also timed against the automaton alone on the same lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import { compile } from '../compiler/pipeline.js';
import { sourceLiterals } from '../compiler/generate/prefilter.js';
import { hasErrors } from '../grammar/diagnostic.js';
import type { RuleModule } from '../runtime/contract.js';
import { Automaton } from '../runtime/prefilter/automaton.js';
import { Prefilter } from '../runtime/prefilter/prefilter.js';
import { corpusLines, templateRules, type Benchmark } from './bench.js';

const RULES = 200;
const REPEAT = 4;
const SYSTEMS = ['OpenSSH', 'Linux', 'Apache', 'Thunderbird', 'BGL', 'HPC', 'Mac'];

async function loadModule(text: string): Promise<RuleModule> {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-prefilter-'));
  try {
    const file = join(dir, 'module.mjs');
    writeFileSync(file, ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText);
    return ((await import(pathToFileURL(file).href)) as { default: RuleModule }).default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function linesPerSecond(lines: readonly string[], pass: (line: string) => number): { rate: number; matches: number } {
  pass(lines[0]!);
  const started = process.hrtime.bigint();
  let matches = 0;
  for (const line of lines) matches += pass(line);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: lines.length / seconds, matches };
}

const escape = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

export const prefilterBench: Benchmark = {
  name: 'compiler-prefilter',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-rules-'));
    let module: RuleModule;
    let literals: (string | null)[];
    try {
      writeFileSync(join(dir, 'bench.rules'), templateRules(RULES));
      const compiled = compile(join(dir, 'bench.rules'));
      if (hasErrors(compiled.diagnostics) || compiled.model === null) throw new Error('bench rule file has errors');
      literals = sourceLiterals(compiled.model.items);
      module = await loadModule(compiled.files[0]!.text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const base = SYSTEMS.flatMap((system) => corpusLines(`loghub/${system}_2k.log`));
    const lines = Array.from({ length: REPEAT }, () => base).flat();
    const source = new Prefilter(module.sources[0]!.items, module.sources[0]!.literals);
    const items = module.items;
    const folded = literals.map((l) => (l === null ? null : l.toLowerCase()));

    const viaPrefilter = (line: string): number => {
      let n = 0;
      for (const i of source.candidates(line)) if (items[i]!.match(line) !== null) n++;
      return n;
    };
    const viaIncludes = (line: string): number => {
      const lower = line.toLowerCase();
      let n = 0;
      for (let i = 0; i < items.length; i++) {
        const literal = folded[i]!;
        if ((literal === null || lower.includes(literal)) && items[i]!.match(line) !== null) n++;
      }
      return n;
    };
    const alternation = new RegExp(folded.filter((l): l is string => l !== null).map(escape).join('|'));
    const always = folded.some((l) => l === null);
    const viaAlternation = (line: string): number => {
      const lower = line.toLowerCase();
      if (!always && !alternation.test(lower)) return 0;
      return viaIncludes(line);
    };
    const everyRegex = (line: string): number => {
      let n = 0;
      for (const item of items) if (item.match(line) !== null) n++;
      return n;
    };

    const baseline = linesPerSecond(lines, everyRegex);
    const results = [
      { name: 'runtime prefilter + candidate regexes', ...linesPerSecond(lines, viaPrefilter) },
      { name: 'includes() per rule + regex', ...linesPerSecond(lines, viaIncludes) },
      { name: 'combined alternation quick reject + includes() per rule', ...linesPerSecond(lines, viaAlternation) },
    ];
    for (const result of results) {
      if (result.matches !== baseline.matches) throw new Error(`${result.name}: ${result.matches} matches, expected ${baseline.matches}`);
    }
    // The prefilter's own cost: against one includes() scan of the same line, and against the automaton it replaced on long literals.
    const candidatesOnly = linesPerSecond(lines, (line) => source.scan(line));
    const oneScan = linesPerSecond(lines, (line) => (line.includes('\u0000') ? 1 : 0));
    const automaton = new Automaton(module.sources[0]!.literals);
    const found = new Int32Array(literals.length);
    const automatonOnly = linesPerSecond(lines, (line) => automaton.scan(line, found));
    const withLiteral = literals.filter((l) => l !== null).length;
    return [
      ...results.map((result) => ({
        name: `${result.name}, ${RULES} rules (${withLiteral} with a literal), ${lines.length.toLocaleString('en-US')} corpus lines`,
        value: result.rate,
        unit: 'lines/s',
        baseline: { name: 'every regex on every line', value: baseline.rate },
      })),
      {
        name: `Prefilter.scan() alone, ${RULES} rules`,
        value: candidatesOnly.rate,
        unit: 'lines/s',
        baseline: { name: 'one includes() scan per line', value: oneScan.rate },
      },
      {
        name: `Prefilter.scan() alone, ${RULES} rules`,
        value: candidatesOnly.rate,
        unit: 'lines/s',
        baseline: { name: 'the Aho–Corasick automaton alone', value: automatonOnly.rate },
      },
      { name: 'matches found (all strategies agree)', value: baseline.matches, unit: 'matches' },
    ];
  },
};
