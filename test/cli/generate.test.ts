import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../grammar/index.js';
import { BLOCK_DIRECTIVES, ITEM_KEYS, GENERAL_ONLY_KEYS, SETTING_KEYS } from '../../compiler/check/keys.js';
import { compile } from '../../compiler/pipeline.js';
import { tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

describe('rulec generate', () => {
  let dir: string;
  let remove: () => void;
  let text: string;
  beforeAll(async () => {
    ({ dir, remove } = tempDir('rulec-generate-'));
    const result = await runHere(['generate'], { cwd: dir });
    expect(result.code).toBe(0);
    text = result.stdout;
    writeFileSync(join(dir, 'starter.rules'), text);
  });
  afterAll(() => remove());

  it('passes rulec check --strict with no errors and no warnings', async () => {
    const result = await runHere(['check', '--strict', '--format', 'json', 'starter.rules'], { cwd: dir });
    const found = JSON.parse(result.stdout) as { severity: string; code: string; line: number; message: string }[];
    expect(found.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('covers every block kind and form', () => {
    const file = parse(text, 'starter.rules');
    expect(file.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const kinds = new Set<string>();
    for (const statement of file.value.statements) {
      if (statement.kind === 'block') {
        kinds.add(`block:${statement.name.value}`);
        for (const inner of statement.body) kinds.add(`inner:${inner.kind}`);
      } else if (statement.kind === 'command') kinds.add(`command:${statement.name.value}`);
      else if (statement.kind === 'section') kinds.add(statement.name === 'general' ? 'general' : 'item');
      else kinds.add(statement.kind);
    }
    for (const kind of [
      'heredoc-comment',
      'command:set',
      'command:module',
      'general',
      'item',
      'block:command',
      'block:monitor',
      'block:watch',
      'block:snort',
      'inner:match',
      'inner:group',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    // The custom block declared by `module NAME ALIAS PATH` is used too.
    const module = file.value.statements.find((s) => s.kind === 'command' && s.name.value === 'module');
    const alias = module?.kind === 'command' ? module.args[1]?.value : undefined;
    expect(kinds).toContain(`block:${alias}`);
  });

  it('documents every key and setting', () => {
    for (const key of [...ITEM_KEYS, ...GENERAL_ONLY_KEYS]) expect(text, key).toMatch(new RegExp(`^; (${key}\\b|.*\\b${key}\\b)`, 'm'));
    for (const setting of SETTING_KEYS) expect(text, setting).toMatch(new RegExp(`^#? ?set ${setting}\\b`, 'm'));
  });

  it('shows every directive of the command, monitor and watch blocks', () => {
    for (const kind of ['command', 'monitor', 'watch'] as const) {
      for (const directive of Object.keys(BLOCK_DIRECTIVES[kind])) expect(text, `${kind} ${directive}`).toMatch(new RegExp(`^ {4}(# )?${directive} `, 'm'));
    }
  });

  it('compiles to a module with its items and blocks', () => {
    const compiled = compile(join(dir, 'starter.rules'));
    expect(compiled.model?.items.map((i) => i.name)).toEqual(['SSH_BRUTE_FORCE', 'SSHD_SILENT', 'AUTH_LOG_SIZE']);
    expect(compiled.model?.blocks.map((b) => b.kind)).toEqual(['command', 'monitor', 'monitor', 'watch', 'snort', 'custom']);
    expect(compiled.files).toHaveLength(1);
  });
});
