/** The report entry of a `watch` block: the unusual lines written to its log since the last report. */
import type { BlockSpec, MatchGroupSpec } from '../../contract.js';
import { BaseReportEntry, type EntryContext, type ReportOutput } from '../../report/report-entry.js';
import { readIgnoreLists } from './ignore-lists.js';
import { LineJudge, type JudgeGroup } from './line-judge.js';
import { scanWatch } from './watch-scan.js';
import { watchStateDir, WatchPositions, type WatchPosition } from './watch-position.js';

/** A `watch` block as the compiler records it. */
export type WatchBlock = Extract<BlockSpec, { readonly kind: 'watch' }>;

/** A watch block with `every`: rulec run mails its digests (digest-service.ts), rulec report leaves it out. */
export function isDigestBlock(block: BlockSpec): block is WatchBlock & { readonly every: number } {
  return block.kind === 'watch' && typeof block.every === 'number';
}

const groups = (specs: readonly MatchGroupSpec[]): JudgeGroup[] => specs.map((spec) => ({ operands: spec.operands }));

/** The judge of a block: its ignore and filter groups and its `ignore_from` lists (throws IgnoreListError, R365). */
export function watchJudge(block: WatchBlock, baseDir: string): LineJudge {
  const lists = readIgnoreLists((block.ignoreFrom ?? []).map((path) => (path.startsWith('/') ? path : `${baseDir}/${path}`)));
  return new LineJudge(groups(block.ignore), groups(block.filter), lists);
}

/**
 * MailLog's `watch`: reads the log from where the last report stopped (rotation and truncation
 * handled, see watch-scan.ts) and attaches the lines no ignore matched, escaped. The position is
 * saved in `finish()`, once the report was accepted or spooled, so a lost report loses no line.
 */
export class WatchEntry extends BaseReportEntry {
  private judge: LineJudge | null = null;
  private readonly positions: WatchPositions;
  private next: WatchPosition | null = null;

  constructor(
    private readonly block: WatchBlock,
    context: EntryContext,
  ) {
    super(context);
    this.positions = new WatchPositions(watchStateDir(context.stateDir));
  }

  override validate(): void {
    this.judge = watchJudge(this.block, this.context.baseDir);
  }

  async run(out: ReportOutput): Promise<void> {
    const judge = this.judge ?? watchJudge(this.block, this.context.baseDir);
    const { position, problem } = this.positions.load(this.block.logfile, this.mime_file);
    if (problem !== null) out.print(`[rulec: ${problem}]\n`);
    const result = await scanWatch({ logfile: this.block.logfile, trim: this.block.trim }, judge, position, (text) => out.print(text));
    this.next = result.position;
    this.context.debug(`watch ${this.block.logfile}: ${result.lines} lines read, ${result.reported} reported${result.complete ? '' : ' (more next time)'}`);
  }

  override finish(): void {
    if (this.next !== null) this.positions.save(this.block.logfile, this.mime_file, this.next);
  }
}
