/** Build time for 200 rules (goal < 5 s), against transpiling the generated module alone. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { build, compile } from '../compiler/pipeline.js';
import { hasErrors } from '../grammar/diagnostic.js';
import { packageRoot } from '../compiler/manifest.js';
import { medianMs, templateRules, type Benchmark } from './bench.js';

const RULES = 200;

export const buildBench: Benchmark = {
  name: 'compiler-build',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-build-'));
    try {
      const file = join(dir, 'bench.rules');
      writeFileSync(file, templateRules(RULES));
      const compiled = compile(file);
      if (hasErrors(compiled.diagnostics)) throw new Error('bench rule file has errors');
      const module = compiled.files[0]!.text;
      const compileMs = await medianMs(5, () => compile(file));
      const buildMs = await medianMs(5, async () => {
        const built = await build(file, join(dir, 'dist'));
        if (built.written.length === 0) throw new Error('build wrote nothing');
      });
      const transpileMs = await medianMs(5, () =>
        ts.transpileModule(module, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }),
      );
      // Cold: a fresh `rulec build` process, as an operator runs it.
      const bin = join(packageRoot(), 'bin/rulec.js');
      const cliMs = await medianMs(3, () => {
        const child = spawnSync(process.execPath, [bin, 'build', file, '-o', join(dir, 'cli')], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`rulec build failed: ${child.stderr}`);
      });
      const nodeMs = await medianMs(3, () => spawnSync(process.execPath, ['-e', '0']));
      const baseline = { name: 'transpile the generated module alone', value: transpileMs };
      return [
        { name: `check + generate, ${RULES} rules`, value: compileMs, unit: 'ms', baseline },
        { name: `build (check, generate, bundle, manifest, write), ${RULES} rules`, value: buildMs, unit: 'ms', goal: '< 5000 ms', baseline },
        {
          name: `\`rulec build\` in a fresh process, ${RULES} rules`,
          value: cliMs,
          unit: 'ms',
          goal: '< 5000 ms',
          baseline: { name: 'start and exit a bare node process', value: nodeMs },
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
