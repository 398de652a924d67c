import type { BlockSpec } from '../contract.js';
import { CommandEntry } from '../sources/command/command-entry.js';
import { MonitorEntry } from '../sources/monitor/monitor-entry.js';
import { WatchEntry } from '../sources/watch/watch-entry.js';
import type { Directive, EntryContext, ReportEntry } from './report-entry.js';

/** The block kinds `rulec report` runs; `snort` is `rulec snort`'s, `custom` a module's. */
export const REPORT_BLOCK_KINDS = ['command', 'monitor', 'watch', 'custom'] as const;

/** A built-in block that makes a report attachment. */
export type BuiltinReportBlock = Extract<BlockSpec, { readonly kind: 'command' | 'monitor' | 'watch' }>;

/** True for the blocks `rulec report` runs (not `snort`). */
export function isReportBlock(block: BlockSpec): block is Extract<BlockSpec, { readonly kind: (typeof REPORT_BLOCK_KINDS)[number] }> {
  return (REPORT_BLOCK_KINDS as readonly string[]).includes(block.kind);
}

/** A built-in block's `description` and `mime_file` as directives, for `BaseReportEntry`. */
function builtinDirectives(block: BuiltinReportBlock): Directive[] {
  const directives: Directive[] = [];
  if (block.mimeFile !== null) directives.push({ name: 'mime_file', args: [block.mimeFile] });
  if (block.description !== null) directives.push({ name: 'description', args: [block.description] });
  return directives;
}

/**
 * The entry of a built-in block, one case per kind; the context's directives become the block's
 * `mime_file` and `description` (builtinDirectives), so `BaseReportEntry` finds them.
 */
export function builtinEntry(block: BuiltinReportBlock, blockContext: EntryContext): ReportEntry {
  const context: EntryContext = { ...blockContext, directives: builtinDirectives(block) };
  switch (block.kind) {
    case 'command':
      return new CommandEntry(block, context);
    case 'monitor':
      return new MonitorEntry(block, context);
    case 'watch':
      return new WatchEntry(block, context);
  }
}
