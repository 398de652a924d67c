import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/run-cli.js';

describe('rulec/runtime, the embedding entry', () => {
  it('resolves through package.json exports to the built runtime with the daemon and the contract', async () => {
    const runtime = await import('rulec/runtime');
    const contract = await import('rulec/contract');
    expect(typeof runtime.runMain).toBe('function');
    expect(typeof runtime.Supervisor).toBe('function');
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
});
