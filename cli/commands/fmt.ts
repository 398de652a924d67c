/** `rulec fmt FILE... [--check]`: rewrites rule files in the canonical layout the language server uses. */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadEditorTools } from '../../compiler/api.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { renderReport } from '../render.js';

/** `rulec fmt`; loads the parser only when it runs. */
export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'lay rule files out canonically (--check: exit 1 when one would change)',
  usage: 'rulec fmt FILE... [--check]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'boolean', default: false } });
    if (positionals.length === 0) throw new UsageError('no rule file given');
    const { formatRules } = await loadEditorTools();
    let status = 0;
    for (const path of positionals) {
      let text: string;
      try {
        text = readFileSync(resolve(io.cwd, path), 'utf8');
      } catch (error) {
        io.err(`rulec fmt: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        status = 2;
        continue;
      }
      const formatted = formatRules(text, path);
      if (formatted.value === null) {
        io.err(renderReport(formatted.diagnostics, new Map([[path, text]])));
        io.err(`rulec fmt: ${path} not formatted: it has syntax errors\n`);
        status = Math.max(status, 1);
        continue;
      }
      if (formatted.value === text) continue;
      if (values.check === true) {
        io.out(`${path}\n`);
        status = Math.max(status, 1);
        continue;
      }
      try {
        replaceFile(resolve(io.cwd, path), formatted.value);
      } catch (error) {
        io.err(`rulec fmt: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        status = 2;
      }
    }
    return status;
  },
};

/** Writes beside the file and renames over it, keeping its mode: a crash leaves old or new, never half. */
function replaceFile(path: string, text: string): void {
  const temporary = `${path}.rulec-fmt-${process.pid}`;
  writeFileSync(temporary, text, { mode: statSync(path).mode & 0o7777, flag: 'wx' });
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
