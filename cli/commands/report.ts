/**
 * `rulec report FILE [--dry-run [OUT]] [--flush] [--spool DIR]`: runs the file's report blocks
 * once and mails them encrypted (runtime/report); `FILE --check PRIOR` is `rulec monitor
 * --check PRIOR FILE`'s, as MailLog's `--check` was.
 */
import { dirname, resolve } from 'node:path';
import { ReportError, runReport, writeFileAtomic } from '../../runtime/index.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command, type Io } from '../command.js';
import { loadRuleFile } from '../load-rules.js';
import { moduleImporter } from '../module-importer.js';
import { flushReport } from './report-flush.js';

const USAGE = 'rulec report FILE [--dry-run [OUT.eml]] [--flush] [--spool DIR] | rulec report FILE --check PRIOR';

/** `--dry-run` takes an optional value: the next word when it is no option and FILE is given besides it. */
function splitDryRun(args: readonly string[]): { rest: string[]; dryRun: string | null } {
  const rest: string[] = [];
  let dryRun: string | null = null;
  for (let k = 0; k < args.length; k += 1) {
    const arg = args[k]!;
    if (arg === '--') {
      rest.push(...args.slice(k));
      break;
    }
    if (arg.startsWith('--dry-run=')) {
      dryRun = arg.slice('--dry-run='.length) || '-';
    } else if (arg === '--dry-run') {
      dryRun = '-';
      const next = args[k + 1];
      const wordsAfter = args.slice(k + 1).filter((a) => !a.startsWith('-')).length;
      const wordsBefore = rest.filter((a) => !a.startsWith('-')).length;
      if (next !== undefined && !next.startsWith('-') && wordsBefore + wordsAfter >= 2) {
        dryRun = next;
        k += 1;
      }
    } else {
      rest.push(arg);
    }
  }
  return { rest, dryRun };
}

async function monitorCheck(args: readonly string[], io: Io): Promise<number> {
  const { commands } = await import('./index.js');
  const monitor = commands.find((c) => c.name === 'monitor');
  if (monitor === undefined) {
    io.err('rulec report: --check compares monitor listings, which this build does not have yet\n');
    return 2;
  }
  return monitor.run(args, io);
}

/** `rulec report`. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'run the command, monitor, watch and custom blocks once and mail them PGP-encrypted',
  usage: USAGE,
  async run(args, io) {
    const { rest, dryRun } = splitDryRun(args);
    const { values, positionals } = parseCommandArgs(rest, {
      flush: { type: 'boolean' },
      spool: { type: 'string' },
      check: { type: 'string' },
    });
    if (values.check !== undefined) {
      if (dryRun !== null || values.flush === true || values.spool !== undefined) throw new UsageError('--check takes no other option');
      return monitorCheck(['--check', values.check, ...positionals], io);
    }
    const [file, ...extra] = positionals;
    if (file === undefined) throw new UsageError('no rule file given');
    if (extra.length > 0) throw new UsageError(`one rule file only (got ${positionals.join(' ')})`);
    if (values.flush === true && dryRun !== null) throw new UsageError('--flush sends the spool; it cannot be a dry run');

    const path = resolve(io.cwd, file);
    const loaded = await loadRuleFile(path, io);
    if (loaded.report !== '') io.err(loaded.report);
    if (loaded.module === null) return 1;
    try {
      const result = await runReport(loaded.module, {
        baseDir: dirname(path),
        spoolDir: values.spool === undefined ? undefined : resolve(io.cwd, values.spool),
        dryRun: dryRun !== null,
        flushOnly: values.flush === true,
        importer: moduleImporter(io),
        log: (line) => io.err(`rulec report: ${line}\n`),
      });
      if (result.flush) {
        const said = flushReport(result.flush);
        if (said.out !== '') io.out(said.out);
        if (said.err !== '') io.err(said.err);
      }
      if (dryRun !== null && result.message !== null) {
        if (dryRun === '-') io.out(result.message.toString('utf8'));
        else {
          // Replaced, not written through: a link planted at OUT is refused, never followed.
          const out = resolve(io.cwd, dryRun);
          try {
            writeFileAtomic(out, result.message, { mode: 0o600, refuseSymlink: true });
          } catch (error) {
            io.err(`rulec report: --dry-run: ${(error as Error).message}\n`);
            return 1;
          }
        }
      }
      return result.ok ? 0 : 1;
    } catch (error) {
      if (!(error instanceof ReportError)) throw error;
      io.err(`${error.message.split('\n').map((line) => `rulec report: ${line}\n`).join('')}no report was sent or stored\n`);
      return 1;
    }
  },
};
