import crc32 from 'crc/crc32';
import type { Captures, ItemSpec, TimestampSpec } from '../contract.js';
import { DownboundWindow } from './downbound-window.js';
import { SizeThreshold } from './size-threshold.js';
import { SlidingWindow, type WindowMemory } from './sliding-window.js';
import { WindowTable } from './window-table.js';

/** Counters of one item since start. */
export interface ItemStats {
  readonly name: string;
  /** Lines the item's regex matched. */
  readonly matched: number;
  /** Live counting keys (1 for an item without keys once it matched). */
  readonly keys: number;
  readonly upboundFires: number;
  /** Matches of a key in its hold-off after an up-bound fire (`upbound_holdoff`): counted, not actioned. */
  readonly heldOff: number;
  readonly downboundFires: number;
  readonly sizeFires: number;
  /** Keys evicted at `maxKeys`. */
  readonly evictions: number;
  /** Window storage that could not be allocated (the key counted afresh, or evicted another). */
  readonly allocationFailures: number;
  /** Lines cut to the item's `lineMax` before matching. */
  readonly cutLines: number;
  /** Lines its regex gave up on under the deadline (runtime/engine/regex-deadline.ts): not matched, so counted here. */
  readonly abandoned: number;
  /** Matched lines counted in log time without a readable time (they took the last known one). */
  readonly untimedLines: number;
  /** Down-bound periods skipped because log time jumped further than 1000 windows at once. */
  readonly downboundSkipped: number;
}

/** CRC-32 of a string's UTF-8 bytes. */
export const crcOf = (text: string): number => crc32(text);

/** The key `item` counts a match with `captures` under, as text (as `rulec test` shows it); null: the item has no keys. */
export function keyText(item: ItemSpec, captures: Captures): string | null {
  const key = item.key;
  if (key.kind === 'none') return null;
  if (key.kind === 'crc') return crcOf(captures[0] ?? '').toString(16).padStart(8, '0');
  return captures[key.index] ?? '';
}

/** The engine's mutable state for one item; fields are public for the engine's hot loop. */
export class ItemState {
  readonly upEnv: Readonly<Record<string, string>>;
  /**
   * The up-bound's windows per key (`table`), or its one window for an item without keys
   * (`window`); both null when every match fires (no up-bound frequency, or `0/T`) and nothing
   * is held off. With keys and a hold-off but no frequency, the table keeps only hold-offs.
   */
  readonly table: WindowTable | null;
  readonly window: SlidingWindow | null;
  readonly down: DownboundWindow | null;
  readonly size: SizeThreshold | null;
  /**
   * The item's yes/no regex when nothing but a firing action needs its captures (one key for
   * the item): then only a fire pays for `match`. Null: every line runs `match`.
   */
  readonly test: ((line: string) => boolean) | null;
  /**
   * Whether the up-bound action reads captures (a `$n` in its argv, or a shell action's
   * RULEC_n): when not, a fire of a tested item does not run `match` for them.
   */
  readonly upboundReadsCaptures: boolean;
  /** `upbound_holdoff` in ms; 0: a key counts afresh right after it fired. */
  readonly holdoffMs: number;
  /** Without keys: until when (ms) the item's matches are held off. */
  heldUntil = -Infinity;
  matched = 0;
  upboundFires = 0;
  heldOff = 0;
  downboundFires = 0;
  sizeFires = 0;
  cutLines = 0;
  abandoned = 0;
  untimedLines = 0;
  downboundSkipped = 0;
  /** Log-time mode: the next moment the down-bound is checked (NaN until a log time is known). */
  downNext = Number.NaN;

  /**
   * @param timeSpec the item's timestamp spec, one object for every item that reads times the
   *   same way (the engine keys what it last read by it)
   * @param memory how its windows allocate, and whom they tell when they cannot
   */
  constructor(
    readonly spec: ItemSpec,
    readonly logTime: boolean,
    readonly timeSpec: TimestampSpec,
    memory: WindowMemory = {},
  ) {
    this.upEnv = { RULEC_ITEM: spec.name };
    const up = spec.upbound;
    const counted = up !== null && up.count > 0 && up.seconds > 0;
    const keyless = spec.key.kind === 'none';
    this.holdoffMs = spec.upboundAction === null ? 0 : Math.max(0, (spec.upboundHoldoff ?? 0) * 1000);
    const held = this.holdoffMs > 0;
    this.table = (counted || held) && !keyless
      ? new WindowTable(counted ? up.count : 0, counted ? up.seconds : 0, spec.maxKeys, crcOf, held, memory)
      : null;
    this.window = counted && keyless ? new SlidingWindow(up.count, up.seconds, memory) : null;
    const down = spec.downbound;
    this.down = down !== null && down.count > 0 && down.seconds > 0 && spec.downboundAction !== null
      ? new DownboundWindow(down.count, down.seconds)
      : null;
    this.size = spec.size !== null && spec.size > 0 && spec.sizeAction !== null ? new SizeThreshold(spec.size) : null;
    this.test = spec.key.kind === 'none' ? spec.test ?? null : null;
    const action = spec.upboundAction;
    this.upboundReadsCaptures = action !== null && (action.shell || action.argv.some((word) => word.some((part) => part.kind === 'capture')));
  }

  stats(): ItemStats {
    return {
      name: this.spec.name,
      matched: this.matched,
      keys: this.table?.size ?? (this.matched > 0 ? 1 : 0),
      upboundFires: this.upboundFires,
      heldOff: this.heldOff,
      downboundFires: this.downboundFires,
      sizeFires: this.sizeFires,
      evictions: this.table?.evictions ?? 0,
      allocationFailures: (this.table?.allocationFailures ?? 0) + (this.window?.allocationFailures ?? 0),
      cutLines: this.cutLines,
      abandoned: this.abandoned,
      untimedLines: this.untimedLines,
      downboundSkipped: this.downboundSkipped,
    };
  }
}

/**
 * `3 line(s) abandoned past the regex deadline (WORDS 2, ADDR 1)`: the abandoned lines of a
 * stopping summary, per item, most first; empty when none was.
 */
export function abandonedSummary(items: readonly ItemStats[]): string {
  const hit = items.filter((i) => i.abandoned > 0).sort((a, b) => b.abandoned - a.abandoned);
  if (hit.length === 0) return '';
  const total = hit.reduce((n, i) => n + i.abandoned, 0);
  return `${total} line(s) abandoned past the regex deadline (${hit.map((i) => `${i.name} ${i.abandoned}`).join(', ')})`;
}
