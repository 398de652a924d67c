import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonitor } from '../../runtime/sources/monitor/monitor-block.js';
import { runCli, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

describe('rulec monitor', () => {
  let dir: string;
  let remove: () => void;
  let prior: string;
  const odd = ['plain.txt', 'with space', 'tab\tname', 'new\nline', 'back\\slash', '\x1b[31mred'];
  const listNow = (): string => {
    let text = '';
    runMonitor({ dirs: [join(dir, 'tree')], digest: 'md5', crossFilesystems: false }, { print: (chunk) => void (text += chunk) });
    return text;
  };
  beforeAll(async () => {
    ({ dir, remove } = tempDir('rulec-monitor-cli-'));
    mkdirSync(join(dir, 'tree/sub'), { recursive: true });
    for (const name of odd) writeFileSync(join(dir, 'tree', name), `content of ${name}\n`);
    writeFileSync(Buffer.from(`${dir}/tree/sub/bad-\xff-utf8`, 'latin1'), 'bytes');
    writeFileSync(
      join(dir, 'tree.rules'),
      `monitor <<__EOM\n    mime_file "monitor.txt"\n    description "MD5 sum of files"\n    dir ${join(dir, 'tree')}\n__EOM\n`,
    );
    const result = await runCli(['monitor', 'tree.rules'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    prior = result.stdout;
    writeFileSync(join(dir, 'prior.txt'), prior);
  });
  afterAll(() => remove());

  it('lists the trees of a rule file, one line per file, odd names escaped', () => {
    const lines = prior.trimEnd().split('\n');
    expect(lines).toHaveLength(odd.length + 1);
    expect(lines.every((line) => /^[A-Za-z0-9+/]{22}\tmd5:0644:0:0\t\d+\t/.test(line))).toBe(true);
    expect(prior).toContain(`\t${dir}/tree/tab\\tname\n`);
    expect(prior).toContain(`\t${dir}/tree/sub/bad-\\xff-utf8\n`);
    expect(prior).not.toContain('\x1b');
    expect(prior).toBe(listNow());
  });

  it('round-trips odd names through --check: an unchanged tree has no differences (exit 0)', async () => {
    const result = await runHere(['monitor', '--check', 'prior.txt', 'tree.rules'], { cwd: dir });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('reports a changed, an added and a removed file (exit 1), scanning a rule file or reading a listing on stdin', async () => {
    appendFileSync(join(dir, 'tree', 'tab\tname'), 'tampered\n');
    renameSync(join(dir, 'tree', 'new\nline'), join(dir, 'tree', 'moved\nline'));
    rmSync(join(dir, 'tree', 'plain.txt'));
    const expected = [
      `added\t${dir}/tree/moved\\nline`,
      `removed\t${dir}/tree/new\\nline`,
      `removed\t${dir}/tree/plain.txt`,
      `changed\t${dir}/tree/tab\\tname\tcontent, size 20 -> 29`,
      '',
    ].join('\n');
    const scanned = await runHere(['monitor', '--check', 'prior.txt', 'tree.rules'], { cwd: dir });
    expect(scanned.stdout).toBe(expected);
    expect(scanned.code).toBe(1);
    const piped = await runHere(['monitor', '--check', 'prior.txt', '-'], { cwd: dir, input: listNow() });
    expect(piped.stdout).toBe(expected);
    expect(piped.code).toBe(1);
  });

  it('refuses a prior that is not a listing (exit 2) and names the line', async () => {
    writeFileSync(join(dir, 'junk.txt'), 'this is not\na listing\n');
    const result = await runHere(['monitor', '--check', 'junk.txt', 'prior.txt'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('junk.txt:1:');
  });
});
