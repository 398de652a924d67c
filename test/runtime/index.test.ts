import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/run-cli.js';

describe('rulec/runtime, the embedding entry', () => {
  it('resolves through package.json exports to the built runtime with the daemon and the contract', async () => {
    const runtime = await import('rulec/runtime');
    const contract = await import('rulec/contract');
    expect(typeof runtime.runMain).toBe('function');
    expect(typeof runtime.Supervisor).toBe('function');
    expect(typeof runtime.LineStream.open).toBe('function');
    expect(runtime.CONTRACT_VERSION).toBe(contract.CONTRACT_VERSION);
  });

  it('lets an embedding program bound regex time before it loads rule modules', () => {
    // ~2^40 backtracking steps without the fallback; the child is killed after 20 s.
    const script = [
      "const { enableLinearRegexFallback } = await import('rulec/runtime');",
      'enableLinearRegexFallback();',
      "console.log(new RegExp('^(\\\\w+\\\\s?)*$').test('a'.repeat(40) + '!'));",
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('false\n');
  }, 30_000);

  it('ships every file its exports name, types included (a generated module imports rulec/contract)', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(packed.status, packed.stderr).toBe(0);
    const files = new Set((JSON.parse(packed.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    const targets = Object.values(pkg.exports).flatMap((entry) => Object.values(entry).map((target) => target.replace(/^\.\//, '')));
    expect(targets.length).toBeGreaterThanOrEqual(4);
    expect(targets.filter((target) => !files.has(target))).toEqual([]);
  }, 90_000);
});
