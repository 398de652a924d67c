import type { RuleModule } from '../contract.js';
import { isDigestBlock } from '../sources/watch/watch-entry.js';
import { builtinEntry, isReportBlock } from './builtin-entries.js';
import { customEntry, type ModuleImporter } from './custom-module.js';
import type { EntryContext, ReportEntry } from './report-entry.js';

/** What every entry of one report shares. */
export type SharedContext = Omit<EntryContext, 'kind' | 'index' | 'directives'>;

/**
 * One entry per report block of the module, in the file's order (`snort` blocks are
 * `rulec snort`'s and are not among them, nor `watch` blocks with `every`: rulec run mails
 * those; they keep their place in the numbering). Throws ReportError when a custom module
 * cannot be loaded.
 */
export async function makeEntries(module: RuleModule, shared: SharedContext, importer?: ModuleImporter): Promise<ReportEntry[]> {
  const entries: ReportEntry[] = [];
  let index = 0;
  for (const block of module.blocks) {
    if (!isReportBlock(block)) continue;
    index += 1;
    if (isDigestBlock(block)) {
      shared.debug(`watch block on ${block.logfile} has \`every\`: rulec run mails its digests, this report leaves it out`);
      continue;
    }
    if (block.kind === 'custom') {
      entries.push(await customEntry(block, { ...shared, kind: block.alias, index, directives: block.directives }, importer));
    } else {
      entries.push(builtinEntry(block, { ...shared, kind: block.kind, index, directives: [] }));
    }
  }
  return entries;
}
