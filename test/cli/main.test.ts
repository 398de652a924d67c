import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

const version = (JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { version: string }).version;

describe('rulec', () => {
  it('prints its version', async () => {
    expect(await runCli(['--version'], { cwd: REPO })).toEqual({ code: 0, stdout: `rulec ${version}\n`, stderr: '' });
  });

  it('lists the commands with --help and exits 0', async () => {
    const result = await runCli(['--help'], { cwd: REPO });
    expect(result.code).toBe(0);
    const listed = [...result.stdout.matchAll(/^  ([a-z]+) +\S/gm)].map((m) => m[1]);
    expect(listed).toEqual(['check', 'fmt', 'build', 'generate', 'run', 'report', 'test', 'snort', 'regex', 'monitor', 'demo', 'lsp']);
  });

  it('never loads TypeScript, ts-morph or lodash-es, and esbuild only to bundle; the compiler only when a command needs it', () => {
    const { dir, remove } = tempDir('rulec-modules-');
    try {
      // Every module URL the ESM loader loads (CommonJS packages imported from ESM included), with marks between steps.
      const log = join(dir, 'loaded');
      writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }
`);
      const probe = `
        import { register } from 'node:module';
        import { appendFileSync } from 'node:fs';
        register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
        const mark = (what) => appendFileSync(${JSON.stringify(log)}, '-- ' + what + '\\n');
        await import('./out/cli/main.js');
        mark('cli');
        const { compileToJs } = await (await import('./out/compiler/api.js')).loadCompiler();
        if (compileToJs('rules/ssh-brute-force.rules', undefined, 'script').js === null) throw new Error('no module');
        mark('compiled');`;
      execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: REPO, encoding: 'utf8' });
      const [cli, compiled] = readFileSync(log, 'utf8').split(/^-- \w+\n/m);
      const heavy = /node_modules\/(ts-morph|@ts-morph|typescript|lodash-es|esbuild)\//;
      expect(cli).not.toMatch(/node_modules\/chevrotain\//);
      expect(cli).not.toMatch(heavy);
      expect(compiled).not.toMatch(heavy);
      // The probe does see packages: the parser's, from its one-file build.
      expect(compiled).toMatch(/node_modules\/chevrotain\/lib\/chevrotain\.mjs/);
    } finally {
      remove();
    }
  });

  it('prints a command usage with COMMAND --help', async () => {
    const result = await runHere(['build', '--help'], { cwd: REPO });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: rulec build FILE/);
  });

  it('exits 2 with a suggestion on an unknown command, and with help on none', async () => {
    const unknown = await runHere(['chek'], { cwd: REPO });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean `check`?');
    const none = await runHere([], { cwd: REPO });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: rulec COMMAND');
  });
});
