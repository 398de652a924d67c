import type { RuleModule } from '../contract.js';
import { isDigestBlock } from '../sources/watch/watch-entry.js';
import { isReportBlock } from './builtin-entries.js';
import type { ModuleImporter } from './custom-module.js';
import { makeEntries } from './make-entries.js';
import { ReportError } from './report-error.js';
import { Reporter, type ReporterOptions, type ReportResult } from './reporter.js';

/** `rulec report`'s options besides the rule module. */
export interface RunReportOptions extends Omit<ReporterOptions, 'settings' | 'stateDir'> {
  /** Only send what the spool holds (`--flush`). */
  readonly flushOnly: boolean;
  /** Imports custom modules (the CLI's also takes TypeScript). */
  readonly importer?: ModuleImporter;
}

/**
 * `rulec report`: runs every `command`, `monitor`, `watch` and custom block of the module once
 * and mails the result as one message (see Reporter). Throws ReportError, before any block
 * runs, for anything that keeps the report from going out as configured.
 */
export async function runReport(module: RuleModule, options: RunReportOptions): Promise<ReportResult> {
  const reporterOptions: ReporterOptions = { ...options, settings: module.settings, stateDir: module.engine.stateDir };
  if (options.flushOnly) {
    if (options.dryRun) throw new ReportError('--flush sends the spool; it cannot be a dry run');
    return (await Reporter.open(reporterOptions, false)).flush();
  }
  if (!module.blocks.some(isReportBlock)) {
    throw new ReportError(`${module.name} has no command, monitor, watch or custom block: nothing to report`);
  }
  if (module.blocks.every((block) => !isReportBlock(block) || isDigestBlock(block))) {
    throw new ReportError(`${module.name} has only watch blocks with \`every\`: rulec run mails their digests; nothing to report here`);
  }
  const reporter = await Reporter.open(reporterOptions);
  const others = module.items.length + module.blocks.filter((block) => !isReportBlock(block)).length;
  if (others > 0) reporter.debug(`${others} item(s) and snort block(s) of ${module.name} are rulec run's and rulec snort's, not the report's`);
  const entries = await makeEntries(
    module,
    { settings: module.settings, host: reporter.mail.host, baseDir: options.baseDir, stateDir: module.engine.stateDir, debug: (line) => reporter.debug(line) },
    options.importer,
  );
  return reporter.report(entries);
}
