/** Check time for a 5,000-line rule file (goal < 1 s), against splitting and scanning the same text. */
import { check } from '../compiler/check/index.js';
import { forgetRegexAnalyses } from '../compiler/check/regex.js';
import { loadProgram } from '../compiler/load.js';
import { hasErrors } from '../grammar/diagnostic.js';
import { medianMs, templateRules, type Benchmark } from './bench.js';

const LINES = 5_000;

export const checkBench: Benchmark = {
  name: 'compiler-check',
  async run() {
    // Items of six lines each, padded with comment lines to exactly LINES lines.
    const items = templateRules(Math.floor(LINES / 6)).split('\n');
    const text = [...items, ...Array.from({ length: LINES - items.length }, (_, i) => `# padding ${i}`)].join('\n');
    const host = { readFile: (name: string) => (name === 'bench.rules' ? text : undefined) };
    const once = (): void => {
      // A first check, as `rulec check` runs it: no pattern's analysis remembered from the run before.
      forgetRegexAnalyses();
      const loaded = loadProgram('bench.rules', host);
      const checked = check(loaded.value);
      if (hasErrors([...loaded.diagnostics, ...checked.diagnostics])) throw new Error('bench rule file has errors');
    };
    const checkMs = await medianMs(7, once);
    const scanMs = await medianMs(5, () => text.split('\n').filter((line) => /^\s*\[/.test(line)).length);
    return [
      {
        name: `parse + load + check, ${LINES.toLocaleString('en-US')}-line rule file`,
        value: checkMs,
        unit: 'ms',
        goal: '< 1000 ms',
        baseline: { name: 'split and scan the text with a line regex', value: scanMs },
      },
    ];
  },
};
