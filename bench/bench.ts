/** Shared pieces of the benchmarks: the figure format, timing, and rule sets made from real log templates. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../compiler/manifest.js';

/** One measured figure, printed beside the baseline measured in the same run. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
  /** Human-readable goal, e.g. `< 1000 ms`. */
  readonly goal?: string;
}

/** A benchmark file's export, listed in bench/run.ts. */
export interface Benchmark {
  readonly name: string;
  run(): Promise<Figure[]>;
}

/** Median wall time (ms) of `runs` calls after one warm-up. */
export async function medianMs(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** `../shared/corpus/<name>` next to the repository. */
export function corpusPath(name: string): string {
  return join(packageRoot(), '..', 'shared', 'corpus', name);
}

export function corpusLines(name: string): string[] {
  return readFileSync(corpusPath(name), 'utf8').split('\n').filter((line) => line.length > 0);
}

function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

const META = /[\\^$.|?*+()[\]{}]/g;

/** A loghub event template (`<*>` for a variable part) as a PCRE pattern with one group per variable run. */
export function templateRegex(template: string): { regex: string; groups: number } {
  const parts = template.split(/(?:<\*>)+/);
  const regex = parts.map((part) => part.replace(META, '\\$&')).join('(\\S+)');
  return { regex, groups: parts.length - 1 };
}

/** Distinct event templates of the loghub samples, in a fixed order. */
export function logTemplates(): string[] {
  const seen = new Set<string>();
  for (const system of ['OpenSSH', 'Linux', 'Apache', 'Thunderbird', 'BGL', 'HPC', 'Mac']) {
    const lines = readFileSync(corpusPath(`loghub/${system}_2k.log_templates.csv`), 'utf8').split('\n').slice(1);
    for (const line of lines) {
      const template = csvFields(line)[1]?.trim();
      // Templates that are only variables say nothing a prefilter could use; real rules name their text.
      if (template !== undefined && template.replace(/<\*>/g, '').trim().length >= 4) seen.add(template);
    }
  }
  return [...seen];
}

/** A rule file of `count` items on one log, one per event template, each firing above `freq` matches. */
export function templateRules(count: number, path = '/var/log/bench.log', freq = '5/60'): string {
  const templates = logTemplates();
  const sections: string[] = [];
  for (let i = 0; i < count; i++) {
    const { regex, groups } = templateRegex(templates[i % templates.length]!);
    sections.push(
      [
        `[R${String(i).padStart(4, '0')}]`,
        `path = ${path}`,
        `regex = ${regex}`,
        `upbound_freq = ${freq}`,
        `upbound_action = /usr/local/bin/notify${groups > 0 ? ' "$1"' : ''}`,
        '',
      ].join('\n'),
    );
  }
  return sections.join('\n');
}

/** One line per figure: value, goal, baseline and the ratio to it. */
export function formatFigure(bench: string, figure: Figure): string {
  const value = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
  let line = `${bench}: ${figure.name}: ${value(figure.value)} ${figure.unit}`;
  if (figure.goal !== undefined) line += ` (goal ${figure.goal})`;
  if (figure.baseline !== undefined) {
    line += `; baseline ${figure.baseline.name}: ${value(figure.baseline.value)} ${figure.unit}, ratio ${(figure.value / figure.baseline.value).toFixed(2)}x`;
  }
  return line;
}
