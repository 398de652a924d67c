/** `rulec fmt FILE... [--check]`: rewrites rule files in the canonical layout the language server uses. */
import { loadEditorTools, UserError } from '../../compiler/api.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { renderReport } from '../render.js';
import { replaceRuleFile } from './fmt-write.js';

/** `rulec fmt`; loads the parser only when it runs. */
export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'lay rule files out canonically (--check: exit 1 when one would change)',
  usage: 'rulec fmt FILE... [--check]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'boolean', default: false } });
    if (positionals.length === 0) throw new UsageError('no rule file given');
    const { formatRules, readRuleText } = await loadEditorTools();
    let status = 0;
    for (const path of positionals) {
      // Read as `check` reads: a device, a FIFO or a file too large is refused, never read on.
      let read: ReturnType<typeof readRuleText>;
      try {
        read = readRuleText(path, { cwd: io.cwd });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        io.err(`rulec fmt: ${error.message}\n`);
        status = 2;
        continue;
      }
      const text = read.text;
      if (text === null) {
        io.err(renderReport(read.diagnostics, read.sources));
        io.err(`rulec fmt: ${path} not formatted: refused as a rule file (above)\n`);
        status = Math.max(status, 1);
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
      const problem = replaceRuleFile(path, io.cwd, formatted.value);
      if (problem !== null) {
        io.err(`rulec fmt: cannot write ${path}: ${problem}\n`);
        status = 2;
      }
    }
    return status;
  },
};
