import { readFileSync } from 'node:fs';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { generate, moduleFileName } from '../../../compiler/generate/index.js';
import { CONTRACT_VERSION } from '../../../runtime/contract.js';
import { importGenerated, syntaxErrors } from './load-module.js';
import { HOSTILE, HOSTILE_REGEXES, hostileModel, item, model, regex } from './models.js';

describe('generate', () => {
  it('names the module after the entry file', () => {
    expect(moduleFileName('ssh.rules')).toBe('ssh.ts');
    expect(moduleFileName('rules/ssh.rules')).toBe('ssh.ts');
    expect(moduleFileName('plain')).toBe('plain.ts');
    expect(generate(model({ name: 'x/y.rules' })).value.map((f) => f.path)).toEqual(['y.ts']);
  });

  it('turns hostile text into valid TypeScript that carries it byte for byte', async () => {
    const input = hostileModel();
    const { value, diagnostics } = generate(input);
    expect(diagnostics).toEqual([]);
    const text = value[0]!.text;
    expect(syntaxErrors(text)).toEqual([]);
    // No raw line separators, and hostile text only ever inside plain string literals.
    expect(text).not.toMatch(/[\u2028\u2029]/);
    const parsed = new Project({ useInMemoryFileSystem: true }).createSourceFile('m.ts', text);
    expect(parsed.getDescendantsOfKind(ts.SyntaxKind.TemplateExpression)).toHaveLength(0);
    expect(parsed.getDescendantsOfKind(ts.SyntaxKind.NoSubstitutionTemplateLiteral)).toHaveLength(0);
    const strings = new Set(parsed.getDescendantsOfKind(ts.SyntaxKind.StringLiteral).map((s) => s.getLiteralValue()));
    for (const hostile of HOSTILE) expect(strings).toContain(hostile);

    const loaded = await importGenerated(text);
    expect(loaded.contractVersion).toBe(CONTRACT_VERSION);
    expect(loaded.name).toBe(input.name);
    expect(loaded.settings).toEqual(input.settings);
    expect(Object.keys(loaded.settings)).toEqual(Object.keys(input.settings));
    loaded.items.forEach((spec, i) => {
      const source = input.items[i]!;
      expect(spec.name).toBe(source.name);
      expect(spec.path).toBe(source.path);
      expect(spec.upboundAction).toEqual(source.upboundAction!.spec);
      expect(spec.downboundAction).toEqual(source.downboundAction!.spec);
      expect(spec.timestamp).toEqual(source.timestamp);
    });
    // Blocks other than watch carry no functions, so they compare as data (spans dropped).
    const blocks = input.blocks.map(({ span: _span, ...rest }) => rest);
    expect(loaded.blocks).toEqual(blocks);
    const snort = loaded.blocks[2];
    expect(snort?.kind === 'snort' && Object.getOwnPropertyDescriptor(snort.handlers[0]!.options, '__proto__')?.value).toBe(HOSTILE[0]);
  });

  it('matches (and tests) exactly as the model regex does, captures and named groups included', async () => {
    const input = hostileModel();
    const loaded = await importGenerated(generate(input).value[0]!.text);
    HOSTILE_REGEXES.forEach((r, i) => {
      const reference = new RegExp(r.js, r.flags);
      let matched = 0;
      for (const line of r.lines) {
        const expected = reference.exec(line);
        const actual = loaded.items[i]!.match(line);
        expect(loaded.items[i]!.test?.(line)).toBe(expected !== null);
        if (expected === null) {
          expect(actual).toBeNull();
          continue;
        }
        matched++;
        expect(actual?.captures).toEqual([...expected]);
        expect(actual?.groups).toEqual(r.names ? { ...expected.groups } : undefined);
      }
      expect(matched).toBeGreaterThan(0);
    });
  });

  it('compiles each watch operand into a regex test', async () => {
    const span = { file: 'w.rules', start: 0, end: 0 };
    const input = model({
      blocks: [
        {
          kind: 'watch',
          span,
          logfile: '/var/log/messages',
          description: 'd',
          mimeFile: 'm.txt',
          trim: true,
          ignore: [{ span, operands: [{ negated: false, regex: regex('MARK') }] }],
          filter: [{ span, operands: [{ negated: true, regex: regex('sshd', 'i') }, { negated: false, regex: regex('a"b') }] }],
          ignoreFrom: ['/etc/logcheck/ignore.d.server'],
          every: 3600,
        },
      ],
    });
    const loaded = await importGenerated(generate(input).value[0]!.text);
    const watch = loaded.blocks[0];
    if (watch?.kind !== 'watch') throw new Error('expected a watch block');
    expect(watch.ignore[0]!.operands[0]!.test('-- MARK --')).toBe(true);
    expect(watch.ignore[0]!.operands[0]!.test('mark')).toBe(false);
    expect(watch.filter[0]!.operands.map((o) => o.negated)).toEqual([true, false]);
    expect(watch.filter[0]!.operands[0]!.test('SSHD[1]')).toBe(true);
    expect(watch.filter[0]!.operands[1]!.test('xa"by')).toBe(true);
    expect(watch.trim).toBe(true);
  });

  it('is deterministic', () => {
    expect(generate(hostileModel()).value[0]!.text).toBe(generate(hostileModel()).value[0]!.text);
  });

  it('refuses regexes this Node cannot build, with R401 at the regex', () => {
    const bad = regex('ok', '');
    const input = model({
      items: [
        item('A', '/l', { ...bad, js: '(unclosed', span: { file: 'a.rules', start: 3, end: 9 } }),
        item('B', '/l', { ...bad, flags: 'g' }),
      ],
    });
    const { value, diagnostics } = generate(input);
    expect(value).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['R401', 'error'],
      ['R401', 'error'],
    ]);
    expect(diagnostics[0]!.span).toEqual({ file: 'a.rules', start: 3, end: 9 });
  });

  it('type-checks against runtime/contract.ts under the project settings', () => {
    const project = new Project({
      useInMemoryFileSystem: true,
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2023.d.ts'],
        paths: { 'rulec/contract': ['/runtime/contract.ts'] },
      },
    });
    project.createSourceFile('/runtime/contract.ts', readFileSync(new URL('../../../runtime/contract.ts', import.meta.url), 'utf8'));
    project.createSourceFile('/out/hostile.ts', generate(hostileModel()).value[0]!.text);
    const errors = project.getPreEmitDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.getMessageText() as string, '\n'));
    expect(errors).toEqual([]);
  });
});
