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
    for (const name of ['check', 'build', 'generate']) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
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
