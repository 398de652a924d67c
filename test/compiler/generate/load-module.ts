/** Turns generated TypeScript into a live module: transpile (ts-morph's ts) and import from a temp file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import type { RuleModule } from '../../../runtime/contract.js';

/** Syntax errors TypeScript finds in the text (empty when it is valid TypeScript). */
export function syntaxErrors(text: string): string[] {
  const output = ts.transpileModule(text, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  });
  return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Transpiles and imports a generated module; returns its default export. */
export async function importGenerated(text: string): Promise<RuleModule> {
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = mkdtempSync(join(tmpdir(), 'rulec-gen-'));
  try {
    const file = join(dir, 'module.mjs');
    writeFileSync(file, js);
    const loaded = (await import(pathToFileURL(file).href)) as { default: RuleModule };
    return loaded.default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
