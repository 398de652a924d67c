/** `rulec check FILE... [--format text|json|github] [--strict]`: CI validation. */
import { loadCompiler, UserError, type Diagnostic } from '../../compiler/api.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { orderDiagnostics, renderGithub, renderJson, renderReport } from '../render.js';

const FORMATS = ['text', 'json', 'github'] as const;

/** `rulec check`; loads the compiler only when it runs. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'check rule files; exit 1 on errors (and warnings with --strict)',
  usage: 'rulec check FILE... [--format text|json|github] [--strict]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string', short: 'f', default: 'text' },
      strict: { type: 'boolean', default: false },
    });
    const format = values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format \`${format}\` (text, json or github)`);
    if (positionals.length === 0) throw new UsageError('no rule file given');

    const { checkFiles } = await loadCompiler();
    // A file that cannot be read is reported on its own: the others' findings still print.
    const results: ReturnType<typeof checkFiles> = [];
    const unreadable: string[] = [];
    for (const path of positionals) {
      try {
        results.push(...checkFiles([path], { cwd: io.cwd }));
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        unreadable.push(error.message);
      }
    }
    const sources = new Map(results.flatMap((r) => [...r.sources]));
    const diagnostics: Diagnostic[] = orderDiagnostics(
      results.flatMap((r) => r.diagnostics),
      sources,
    );
    if (format === 'json') io.out(renderJson(diagnostics, sources));
    else if (format === 'github') io.out(renderGithub(diagnostics, sources));
    else io.err(renderReport(diagnostics, sources));

    for (const message of unreadable) io.err(`rulec check: ${message}\n`);
    if (unreadable.length > 0) return 2;
    const failing = diagnostics.some((d) => d.severity === 'error' || (values.strict === true && d.severity === 'warning'));
    return failing ? 1 : 0;
  },
};
