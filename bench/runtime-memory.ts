/**
 * Peak RSS with 200 rules and 100,000 live keys, measured in a fresh child process
 * (runtime-memory-child.ts) that loads only the runtime and the compiled module.
 * Baseline: the same child's RSS with the module loaded and no key yet. Goal: ≤ 120 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileToJs } from '../compiler/pipeline.js';
import { logTemplates, templateRegex, type Benchmark } from './bench.js';

const RULES = 200;
const KEYS = 100_000;

/** 200 items from real log templates, each counting per `$1`, and the templates the child fills into lines. */
function workload(): { rules: string; templates: string[] } {
  const all = logTemplates().filter((t) => t.includes('<*>'));
  const sections: string[] = [];
  const templates: string[] = [];
  for (let i = 0; i < RULES; i++) {
    const template = all[i % all.length]!;
    sections.push(`[K${i}]\npath = /var/log/bench.log\nregex = ^${templateRegex(template).regex}$\nkey = $1\nupbound_freq = 5/60\nupbound_action = /bin/true "$1"\n`);
    templates.push(template);
  }
  return { rules: sections.join('\n'), templates };
}

export const memoryBench: Benchmark = {
  name: 'runtime-memory',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-mem-'));
    try {
      const { rules, templates } = workload();
      const rulesFile = join(dir, 'keys.rules');
      writeFileSync(rulesFile, rules);
      const compiled = compileToJs(rulesFile);
      if (compiled.js === null) throw new Error('memory benchmark rules do not compile');
      const moduleFile = join(dir, 'keys.mjs');
      writeFileSync(moduleFile, compiled.js);
      const templatesFile = join(dir, 'templates.json');
      writeFileSync(templatesFile, JSON.stringify(templates));
      const childFile = fileURLToPath(new URL('./runtime-memory-child.js', import.meta.url));
      const result = spawnSync(process.execPath, [childFile, moduleFile, templatesFile, String(KEYS)], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (result.status !== 0) throw new Error(`memory child failed: ${result.stderr}`);
      const { before, peak, keys } = JSON.parse(result.stdout) as { before: number; peak: number; keys: number };
      const mb = (bytes: number): number => bytes / (1024 * 1024);
      return [
        { name: `peak RSS, ${RULES} rules, ${keys.toLocaleString('en-US')} live keys`, value: mb(peak), unit: 'MB', goal: '≤ 120 MB', baseline: { name: 'RSS with the module loaded, no keys', value: mb(before) } },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
