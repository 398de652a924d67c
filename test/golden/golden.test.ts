/**
 * Golden files: each case's input.rules compiles to exactly its expected.ts, or (a broken input)
 * `rulec check` reports exactly its expected.diag. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` and review the diff. The expected modules
 * are also type-checked against runtime/contract.ts, as a user's editor would see them.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { checkFiles, compile } from '../../compiler/pipeline.js';
import { renderReport } from '../../cli/render.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const cases = readdirSync(here).filter((name) => statSync(join(here, name)).isDirectory());
const broken = (name: string): boolean => existsSync(join(here, name, 'expected.diag'));

describe('golden', () => {
  it('has the cases the generator must keep stable', () => {
    expect(cases).toEqual(expect.arrayContaining(['lognot-seed', 'maillog-watch', 'hostile-literals', 'shared-path', 'shell-true']));
  });

  for (const name of cases) {
    it(name, () => {
      if (broken(name)) {
        // Named as the user wrote it, so the expected text holds no path of this machine.
        const readFile = (file: string): string | undefined => (existsSync(join(here, name, file)) ? readFileSync(join(here, name, file), 'utf8') : undefined);
        const [checked] = checkFiles(['input.rules'], { readFile });
        const text = renderReport(checked!.diagnostics, checked!.sources);
        const expectedDiag = join(here, name, 'expected.diag');
        if (update) writeFileSync(expectedDiag, text);
        expect(text).not.toBe('');
        expect(text).toBe(readFileSync(expectedDiag, 'utf8'));
        return;
      }
      const compiled = compile(join(here, name, 'input.rules'));
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const text = compiled.files[0]!.text;
      const expectedPath = join(here, name, 'expected.ts');
      if (update) writeFileSync(expectedPath, text);
      expect(existsSync(expectedPath), `${expectedPath} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(expectedPath, 'utf8'));
    });
  }

  it('expected modules type-check against runtime/contract.ts', () => {
    const project = new Project({ tsConfigFilePath: join(here, '../../tsconfig.json'), skipAddingFilesFromTsConfig: true });
    const files = cases.filter((name) => !broken(name)).map((name) => project.addSourceFileAtPath(join(here, name, 'expected.ts')));
    const errors = ts.sortAndDeduplicateDiagnostics(files.flatMap((f) => f.getPreEmitDiagnostics().map((d) => d.compilerObject)));
    expect(errors.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
  }, 60_000);
});
