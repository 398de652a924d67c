/**
 * The memory the items' counting windows may take, worst case, against `window_memory`
 * (`[general]`, default 1G): a rule file whose windows could outgrow it is refused (R335).
 *
 * Windows grow on demand (runtime/engine/window-table.ts), so what they hold follows the matches
 * each key really has within T; the worst case is every key at its limit at once. Per item,
 * in 8-byte times (what the runtime allocates for them):
 * - an up-bound `N/T` with keys: `max_keys` × (N, or 8 + N when N > 32, + 1 with a hold-off)
 *   — a key's first ring holds N times up to 32, else 8, and a busier key then grows a ring of
 *   its own up to N;
 * - an up-bound without keys: N times (its one ring grows to N);
 * - a down-bound `N/T`: N times, kept from the start.
 * Per live key the engine also keeps its text (at most 256 characters), a map entry and 16
 * bytes of LRU list, bounded by `max_keys` and not counted here (docs/engine.md, "Memory").
 */
import type { Entry } from '../../grammar/ast.js';
import type { ItemModel } from '../model.js';
import type { CheckContext } from './context.js';
import { readSize } from './read-value.js';
import type { ReadItem } from './shared-path.js';

/** `window_memory` when the rule file does not set it: 1 GiB. */
export const DEFAULT_WINDOW_MEMORY = 1024 ** 3;
/** As runtime/engine/sliding-window.ts: up to INLINE_UP_TO a key's ring holds N times from the start, else FIRST_RING that grow. */
const INLINE_UP_TO = 32;
const FIRST_RING = 8;
const TIME_BYTES = 8;

/** One item's worst case: keys, times per key and bytes. */
export interface WindowWorstCase {
  readonly keys: number;
  readonly timesPerKey: number;
  /** Times kept once per item (a down-bound's). */
  readonly itemTimes: number;
  readonly bytes: number;
}

/** The most the item's windows may hold, every key at its limit. */
export function windowWorstCase(item: ItemModel): WindowWorstCase {
  // Without an action nothing is counted (the engine stops before the window).
  const up = item.upboundAction === null ? null : item.upbound;
  const n = up !== null && up.count > 0 && up.seconds > 0 ? up.count : 0;
  const holdoff = item.upboundAction !== null && (item.upboundHoldoff ?? 0) > 0;
  const keyless = item.key.kind === 'none';
  const keys = keyless ? 1 : item.maxKeys;
  const timesPerKey = keyless
    ? n
    : (n <= INLINE_UP_TO ? n : FIRST_RING + n) + (holdoff ? 1 : 0);
  const down = item.downbound;
  const itemTimes = down !== null && down.count > 0 && down.seconds > 0 && item.downboundAction !== null ? down.count : 0;
  return { keys, timesPerKey, itemTimes, bytes: (keys * timesPerKey + itemTimes) * TIME_BYTES };
}

/** Refuses (R335) a rule file whose windows may, worst case, need more than `window_memory`. */
export function checkWindowMemory(ctx: CheckContext, items: readonly ReadItem[], general: ReadonlyMap<string, Entry>): void {
  const entry = general.get('window_memory');
  const budget = (entry && readSize(ctx, entry, 1, Number.MAX_SAFE_INTEGER)) ?? DEFAULT_WINDOW_MEMORY;
  const cases = items.map((item) => ({ item, worst: windowWorstCase(item.model) }));
  const total = cases.reduce((sum, c) => sum + c.worst.bytes, 0);
  if (total <= budget) return;
  const largest = [...cases].sort((a, b) => b.worst.bytes - a.worst.bytes);
  const [first] = largest;
  if (first === undefined) return;
  const at = first.item.source.entries.get('upbound_freq') ?? first.item.source.entries.get('max_keys');
  const shown = largest.slice(0, 3).map(({ item, worst }) => `\`${item.model.name}\`: ${describe(worst)}`);
  const more = largest.length > 3 ? [`and ${largest.length - 3} more item(s)`] : [];
  ctx.error(
    'R335',
    `the counting windows may need up to ${bytesText(total)} (every key at its limit), more than \`window_memory\` (${bytesText(budget)}${entry === undefined ? ', the default' : ''})`,
    at?.span ?? first.item.source.section.nameSpan,
    {
      ...(entry === undefined ? {} : { labels: [{ span: entry.span, message: 'the budget' }] }),
      notes: [
        ...shown,
        ...more,
        `lower \`max_keys\` or the count of \`upbound_freq\`, or raise \`window_memory\` in [general] (e.g. \`window_memory = ${suggestedBudget(total)}\`) if the host has the memory`,
      ],
    },
  );
}

function describe(worst: WindowWorstCase): string {
  const perKey = worst.timesPerKey > 0 ? `${worst.keys.toLocaleString('en-US')} key(s) × ${worst.timesPerKey.toLocaleString('en-US')} time(s)` : '';
  const perItem = worst.itemTimes > 0 ? `${worst.itemTimes.toLocaleString('en-US')} down-bound time(s)` : '';
  return `${[perKey, perItem].filter((p) => p !== '').join(' + ')} × 8 bytes = ${bytesText(worst.bytes)}`;
}

/** Bytes in binary units, as sizes are written in rule files (`1G` is 1 GiB). */
function bytesText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A round size at or above `bytes`, in the rule file's own units (`2G`, `768M`). */
function suggestedBudget(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${Math.ceil(gib)}G` : `${Math.ceil(bytes / 1024 ** 2)}M`;
}
