import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCompiler, UserError } from '../../compiler/api.js';
import type { LoadHost } from '../../compiler/load.js';
import { CONTRACT_VERSION, type RuleModule } from '../../runtime/contract.js';
import { Prefilter } from '../../runtime/prefilter/prefilter.js';
import { tempDir } from '../cli/run-cli.js';

const RULES = `[SSH]
path = /var/log/auth.log
regex = Failed password for (\\S+) from (\\S+)
upbound_freq = 5/60
upbound_action = /bin/echo "$2"
`;

// The API loads the stages on demand; everything below goes through it.
const { build, checkFiles, compile, compileToJs } = await loadCompiler();

describe('compiler API', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir, remove } = tempDir('rulec-api-'));
    writeFileSync(join(dir, 'ssh.rules'), RULES);
  });
  afterAll(() => remove());

  it('checkFiles reads through a given host, names as given', () => {
    const texts = new Map([['mem/a.rules', 'source "b.rules"\n'], ['mem/b.rules', '[X]\npath = /l\nregx = y\nupbound_action = /bin/true\n']]);
    const host: LoadHost = { readFile: (name) => texts.get(name) };
    const [result] = checkFiles(['mem/a.rules'], host);
    expect(result!.diagnostics.map((d) => [d.code, d.span.file])).toEqual([['R301', 'mem/b.rules']]);
    expect([...result!.sources.keys()]).toEqual(['mem/a.rules', 'mem/b.rules']);
  });

  it('compileToJs returns a plain ES module whose default export is the RuleModule', async () => {
    const result = compileToJs(join(dir, 'ssh.rules'));
    expect(result.diagnostics).toEqual([]);
    expect(result.js).not.toContain('rulec/contract');
    expect(result.js).not.toMatch(/^import /m);
    const file = join(dir, 'ssh.mjs');
    writeFileSync(file, result.js!);
    const module = ((await import(pathToFileURL(file).href)) as { default: RuleModule }).default;
    expect(module.contractVersion).toBe(CONTRACT_VERSION);
    expect(module.name).toBe('ssh.rules');
    expect(module.items[0]!.match('Failed password for root from 10.0.0.1 port 22')?.captures).toEqual([
      'Failed password for root from 10.0.0.1',
      'root',
      '10.0.0.1',
    ]);
    expect(new Prefilter(module.sources[0]!.items, module.sources[0]!.literals).candidates('nothing to see')).toEqual([]);
  });

  it('reports errors instead of throwing, and generates nothing then', () => {
    writeFileSync(join(dir, 'bad.rules'), '[X]\npath = /l\nregex = (\nupbound_action = /bin/true\n');
    const compiled = compile(join(dir, 'bad.rules'));
    expect(compiled.model).toBeNull();
    expect(compiled.files).toEqual([]);
    expect(compiled.diagnostics.some((d) => d.code === 'R307' && d.span.file === join(dir, 'bad.rules'))).toBe(true);
    expect(compileToJs(join(dir, 'bad.rules')).js).toBeNull();
  });

  it('raises UserError for an unreadable entry or an unwritable output directory', async () => {
    expect(() => compile(join(dir, 'missing.rules'))).toThrow(UserError);
    writeFileSync(join(dir, 'blocker'), '');
    await expect(build(join(dir, 'ssh.rules'), join(dir, 'blocker', 'dist'))).rejects.toThrow(UserError);
  });
});
