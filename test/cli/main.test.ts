import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './run-cli.js';

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

  it('does not load the compiler (ts-morph, TypeScript, esbuild) until a command needs it', () => {
    // CommonJS packages imported from ESM still land in the require cache, so a child can list them.
    const probe = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const heavy = () => Object.keys(cache).filter((k) => /node_modules[\\/](ts-morph|@ts-morph|typescript|esbuild)[\\/]/.test(k)).length;
      await import('./out/cli/main.js');
      const before = heavy();
      await (await import('./out/compiler/api.js')).loadCompiler();
      console.log(JSON.stringify([before, heavy()]));`;
    const [before, after] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: REPO, encoding: 'utf8' })) as [number, number];
    expect(before).toBe(0);
    // The probe sees them once the compiler's stages are loaded, so a 0 above means something.
    expect(after).toBeGreaterThan(0);
  });

  it('prints a command usage with COMMAND --help', async () => {
    const result = await runCli(['build', '--help'], { cwd: REPO });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: rulec build FILE/);
  });

  it('exits 2 with a suggestion on an unknown command, and with help on none', async () => {
    const unknown = await runCli(['chek'], { cwd: REPO });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean `check`?');
    const none = await runCli([], { cwd: REPO });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: rulec COMMAND');
  });
});
