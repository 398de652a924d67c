/** The report entry of a `monitor` block: its listing as the attachment. */
import type { BlockSpec } from '../../contract.js';
import { BaseReportEntry, type EntryContext, type ReportOutput } from '../../report/report-entry.js';
import { monitorSettings } from './index.js';
import { runMonitor } from './monitor-block.js';

/** A `monitor` block as the compiler records it. */
export type MonitorBlock = Extract<BlockSpec, { readonly kind: 'monitor' }>;

/**
 * MailLog's `monitor`: the listing of the block's trees (monitor.md). Progress shows on stderr
 * while it is a terminal (an operator running `rulec report` by hand), never under cron.
 */
export class MonitorEntry extends BaseReportEntry {
  constructor(
    private readonly block: MonitorBlock,
    context: EntryContext,
  ) {
    super(context);
  }

  override validate(): void {
    if (this.block.dirs.length === 0) throw new Error('`monitor` names no `dir`');
  }

  run(out: ReportOutput): void {
    const stats = runMonitor(monitorSettings(this.block), out, { progress: true });
    this.context.debug(`monitor: ${stats.files} files, ${stats.links} links, ${stats.bytes} bytes, ${stats.warnings} warnings`);
  }
}
