import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check } from '../../../compiler/check/index.js';
import { loadProgram } from '../../../compiler/load.js';
import { seededRandom } from '../../../compiler/seeded-random.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/seeds');
const seeds = readdirSync(DIR)
  .filter((f) => f.endsWith('.rules'))
  .sort()
  .map((f) => readFileSync(join(DIR, f), 'utf8'));
const extra = [
  '[general]\nathread_count = 3\n[A]\npath = /x\nregex = (?<ip>\\S+) (a|b)\nkey = $ip\nupbound_freq = 3/60\nupbound_action = /bin/x "$1" $2\nsize = 1K\nsize_action = /bin/s\n',
  'set to a@b\nmodule M m /m.pm\nm <<__M\n  x y\n__M\nsnort <<__S\n  logdir /l\n  handler http url=x\n__S\n',
];
const PIECES = ['\n', ' ', '<<__X', '__X', '[', ']', '=', '=~ /', '/', '"', "'", '$', '$2', '(', ')', '\\', 'do ignore', 'end', 'ü', '“', ';', '#'];

describe('check on damaged input', () => {
  it('never throws and always returns a model, for 400 mutated files', () => {
    const random = seededRandom(20261123);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const started = Date.now();
    let withErrors = 0;
    for (let i = 0; i < 400 && Date.now() - started < 20_000; i++) {
      let text = pick([...seeds, ...extra]);
      for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const cut = random() < 0.3 ? Math.floor(random() * 8) : 0;
        text = text.slice(0, at) + pick(PIECES) + text.slice(at + cut);
      }
      const loaded = loadProgram('fuzz.rules', { readFile: (name) => (name === 'fuzz.rules' ? text : undefined) });
      const result = check(loaded.value);
      expect(result.value.name).toBe('fuzz.rules');
      for (const d of result.diagnostics) {
        expect(d.code).toMatch(/^R3\d\d$/);
        expect(d.message).not.toMatch(/\n/);
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
        expect(d.span.end).toBeLessThanOrEqual(text.length);
      }
      if (result.diagnostics.some((d) => d.severity === 'error')) withErrors++;
    }
    // The mutations do damage: a run where nothing is ever wrong would test nothing.
    expect(withErrors).toBeGreaterThan(20);
  });
});
