/** `rulec run` cases that end before a daemon serves, run in this process through the CLI's `main`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** Runs `rulec ARGS...` here; what it printed and its exit code. */
async function rulec(args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  const { code, stdout, stderr } = await runHere(args, { cwd: process.cwd() });
  return { code, out: stdout, err: stderr };
}

function rules(text: string): string {
  const { dir, remove } = tempDir('rulec-run-here-');
  cleanup.push(remove);
  const file = join(dir, 'only-blocks.rules');
  writeFileSync(file, text);
  return file;
}

const WATCH = 'watch <<__END\n    logfile /var/log/messages\n__END\n';

describe('rulec run, in process', () => {
  it('a rule file with nothing it can run is a clear error, exit 1, naming the command that runs each block', async () => {
    const file = rules(`${WATCH}\n${WATCH}\n`);
    const result = await rulec(['run', file, '-s']);
    expect(result.code).toBe(1);
    expect(result.err).toBe('rulec: nothing to run in only-blocks.rules: it has no items, and 2 watch blocks are not run here: rulec report runs them\n');
    expect(result.out).toBe('');
  });

  it('a rule file with neither items nor blocks says so', async () => {
    const result = await rulec(['run', rules('[general]\nathread_count = 2\n'), '-s']);
    expect(result.code).toBe(1);
    expect(result.err).toBe('rulec: nothing to run in only-blocks.rules: it has no items and no blocks\n');
  });
});
