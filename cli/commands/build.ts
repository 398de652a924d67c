/** `rulec build FILE [-o DIR]`: the generated module, bundle.mjs and manifest.json. */
import { hasErrors, loadCompiler } from '../../compiler/api.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { renderReport } from '../render.js';

/** `rulec build`; loads the compiler only when it runs. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'compile a rule file into DIR: <name>.ts, bundle.mjs (runs with node alone), manifest.json',
  usage: 'rulec build FILE [-o DIR]   (DIR defaults to dist)',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string', short: 'o', default: 'dist' },
    });
    if (positionals.length !== 1) throw new UsageError('build takes exactly one rule file');
    const outDir = values.out as string;
    if (outDir === '') throw new UsageError('-o needs a directory (an empty one would mean the current directory)');
    const { build } = await loadCompiler();
    const result = await build(positionals[0]!, outDir, { cwd: io.cwd });
    io.err(renderReport(result.diagnostics, result.sources));
    if (hasErrors(result.diagnostics)) {
      io.err('rulec: build refused: the rule file has errors\n');
      return 1;
    }
    io.out(`${result.written.join('\n')}\n`);
    return 0;
  },
};
