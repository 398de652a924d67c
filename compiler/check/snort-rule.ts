/**
 * What makes an item a rule over Snort alerts: its own `snort = LOGDIR` (the log directory of the
 * listener whose alerts it counts). Such an item has no `path` and no `regex`: its conditions
 * (alert-filter.ts) choose alerts, and its captures are the alert's fields (`ALERT_FIELDS`:
 * `$src`, `$sid`, ...). Windows, keys, hold-off and actions are read as for any item.
 */
import type { Entry } from '../../grammar/ast.js';
import { ALERT_FIELDS } from '../../runtime/contract.js';
import type { AlertFilterModel, RegexModel } from '../model.js';
import { ALERT_CONDITION_KEYS, readAlertFilter } from './alert-filter.js';
import type { CheckContext } from './context.js';
import type { ItemKey } from './keys.js';
import { fieldsModel } from './regex.js';

/** Keys that only concern reading a file: no effect on a Snort rule (R352). */
const FILE_ONLY_KEYS = ['size', 'size_action', 'start', 'file_type', 'rotate_wait', 'line_max', 'time_format', 'time_year', 'time_zone'] as const;

/** The parts of an item that differ for a Snort rule. */
export interface SnortRuleParts {
  /** The listener's log directory, the rule's `path`. */
  readonly logdir: string;
  /** Stands for the alert's fields as named captures. */
  readonly regex: RegexModel;
  readonly alert: AlertFilterModel;
}

/**
 * For an item whose own entries hold `snort`: its parts, with misplaced keys reported (R351,
 * R352). For any other item: null, and a Snort condition it sets is reported (R351).
 */
export function snortRuleParts(
  ctx: CheckContext,
  own: (key: ItemKey) => Entry | undefined,
  get: (key: ItemKey) => Entry | undefined,
): SnortRuleParts | null {
  const snort = own('snort');
  if (snort === undefined) {
    for (const key of ALERT_CONDITION_KEYS) {
      const entry = own(key);
      if (entry !== undefined) {
        ctx.error('R351', `\`${key}\` is a condition on Snort alerts; this item reads a file`, entry.keySpan, { notes: ['add `snort = LOGDIR` to make the item a rule over Snort alerts'] });
      }
    }
    return null;
  }
  for (const key of ['path', 'regex'] as const) {
    const entry = own(key);
    if (entry !== undefined) {
      ctx.error('R351', `a Snort rule has no \`${key}\``, entry.keySpan, { notes: [key === 'regex' ? 'test the alert\'s message with `msg`' : 'its alerts come from the listener in `snort`'] });
    }
  }
  for (const key of FILE_ONLY_KEYS) {
    const entry = own(key);
    if (entry !== undefined) ctx.warning('R352', `\`${key}\` has no effect on a Snort rule`, entry.keySpan);
  }
  if (snort.value === '') ctx.error('R302', '`snort` is empty: name the log directory of Snort\'s alert socket', snort.span);
  return { logdir: snort.value, regex: fieldsModel(ALERT_FIELDS, snort.keySpan), alert: readAlertFilter(ctx, (key) => get(key)) };
}

/** `[general]` cannot make every item a Snort rule (R351). */
export function checkGeneralSnort(ctx: CheckContext, general: ReadonlyMap<string, Entry>): void {
  const entry = general.get('snort');
  if (entry !== undefined) ctx.error('R351', '`snort` names the listener of one rule; set it in each item', entry.keySpan);
}

