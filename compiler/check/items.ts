/**
 * logNOT items: each non-general section becomes an ItemModel, with `[general]` entries as
 * defaults for every key the item does not set.
 */
import type { Entry, Section } from '../../grammar/ast.js';
import type { DiagnosticLabel } from '../../grammar/diagnostic.js';
import type { KeySpec, TimestampSpec } from '../../runtime/contract.js';
import type { ItemModel, RegexModel } from '../model.js';
import { SHELL_ACTION_WARNING } from '../template/action-template.js';
import { parseBoolean } from '../values/index.js';
import { checkAction } from './action.js';
import type { ActionRole } from './action.js';
import { entryValue } from './context.js';
import type { CheckContext } from './context.js';
import { checkKey } from './item-key.js';
import type { ItemKey } from './keys.js';
import {
  readBoolean,
  readChoice,
  readDuration,
  readFrequency,
  readInteger,
  readSize,
  readText,
  readTimeZone,
} from './read-value.js';
import { checkRegex, namedGroups } from './regex.js';
import { snortRuleParts } from './snort-rule.js';
import type { IndexedItem } from './sections.js';

const DEFAULT_REGEX = '.*';
const LINE_MAX_DEFAULT = 64 * 1024;
// A cap on the line cap: beyond this one line could hold the engine's memory hostage.
const LINE_MAX_LIMIT = 16 * 1024 * 1024;
const MAX_KEYS_LIMIT = 10_000_000;
/** 24 days: the longest timer Node keeps (2^31 − 1 ms); a longer one would fire at once. */
const ACTION_TIMEOUT_LIMIT = 24 * 86_400;

/** Reads entries of one item, falling back to `[general]`. */
export class ItemReader {
  private readonly regexByEntry = new WeakMap<Entry, RegexModel | null>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly general: ReadonlyMap<string, Entry>,
  ) {}

  /** Checks `[general]` defaults once, even when no item reads them. */
  checkDefaults(): void {
    this.build({ section: null, entries: new Map() });
  }

  item(item: IndexedItem): ItemModel | null {
    return this.build(item);
  }

  private build(item: { section: Section | null; entries: ReadonlyMap<string, Entry> }): ItemModel | null {
    const { ctx } = this;
    const section = item.section;
    const own = (key: ItemKey): Entry | undefined => item.entries.get(key);
    const get = (key: ItemKey): Entry | undefined => own(key) ?? this.general.get(key);
    const read = <T>(key: ItemKey, reader: (entry: Entry) => T | undefined, fallback: T): T => {
      const entry = get(key);
      const value = entry === undefined ? undefined : reader(entry);
      return value === undefined ? fallback : value;
    };

    const snort = section === null ? null : snortRuleParts(ctx, own, get);
    const path = snort?.logdir ?? read('path', (e) => readText(ctx, e), undefined);
    const regexEntry = snort === null ? get('regex') : undefined;
    const regex = snort?.regex ?? (regexEntry !== undefined ? this.regexOf(regexEntry) : section && this.defaultRegex(section));
    const upbound = read('upbound_freq', (e) => readFrequency(ctx, e), null);
    // By default a key that fired rests for its own window T: at most one action per key per T.
    const upboundHoldoff = read('upbound_holdoff', (e) => readDuration(ctx, e), upbound?.seconds ?? 0);
    // undefined when invalid (already reported), null when absent or disabled (`0/T`).
    const downboundRead = read('downbound_freq', (e) => readFrequency(ctx, e), undefined);
    const downbound = downboundRead ?? null;
    const size = read('size', (e) => readSize(ctx, e, 1, Number.MAX_SAFE_INTEGER), null);
    const shell = read('shell', (e) => readBoolean(ctx, e), false);
    const timestamp: TimestampSpec = {
      format: read('time_format', (e) => readChoice(ctx, e, ['auto', 'syslog', 'iso8601', 'epoch'] as const), 'auto'),
      ...optional('year', read('time_year', (e) => readInteger(ctx, e, 1970, 9999), undefined)),
      ...optional('zone', read('time_zone', (e) => readTimeZone(ctx, e), undefined)),
    };
    const common = {
      fileType: read('file_type', (e) => readChoice(ctx, e, ['file', 'fifo'] as const), 'file'),
      start: read('start', (e) => readChoice(ctx, e, ['end', 'beginning'] as const), 'end'),
      maxKeys: read('max_keys', (e) => readInteger(ctx, e, 1, MAX_KEYS_LIMIT), 100_000),
      clock: read('clock', (e) => readChoice(ctx, e, ['arrival', 'log'] as const), 'arrival'),
      lineMax: read('line_max', (e) => readSize(ctx, e, 1, LINE_MAX_LIMIT), LINE_MAX_DEFAULT),
      rotateWait: read('rotate_wait', (e) => readDuration(ctx, e), 5),
      actionTimeout: read('action_timeout', (e) => readDuration(ctx, e, ACTION_TIMEOUT_LIMIT), 60),
    };
    // Everything below depends on the item's own regex and keys.
    if (section === null) return null;

    const shellEntry = get('shell');
    if (shell && shellEntry !== undefined) ctx.warning('R312', SHELL_ACTION_WARNING, shellEntry.span);

    const name = section.name;
    // With a broken regex the group count is unknown: do not pile capture errors onto the regex error.
    const groupCount = regex?.groupCount ?? Number.MAX_SAFE_INTEGER;
    const groupNames = regex ? namedGroups(regex) : null;
    const inherited = (entry: Entry): DiagnosticLabel | undefined =>
      item.entries.get(entry.key) === entry ? undefined : { span: section.nameSpan, message: `read by item \`${name}\`` };
    const action = (key: ItemKey, role: ActionRole) => {
      const entry = get(key);
      if (entry === undefined) return null;
      const inheritedBy = inherited(entry);
      return checkAction(ctx, entry, { role, shell, groupCount, groupNames, ...(inheritedBy ? { inheritedBy } : {}) });
    };
    const upboundAction = action('upbound_action', 'upbound');
    const downboundAction = action('downbound_action', 'downbound');
    const sizeAction = action('size_action', 'size');
    const key: KeySpec = checkKey(ctx, { own, get, inherited }, regex);

    if (get('path') === undefined && snort === null) ctx.error('R302', `item \`${name}\` has no \`path\``, section.nameSpan);
    if (!get('upbound_action') && !get('downbound_action') && !get('size_action')) {
      ctx.error('R322', `item \`${name}\` has no action`, section.nameSpan, {
        notes: ['set `upbound_action`, `downbound_action` or `size_action`'],
      });
    }
    this.checkPairs(own, get, downboundRead === null || get('downbound_freq') === undefined);
    const maxKeysEntry = own('max_keys');
    // A `usecrc` that is not a boolean was reported already; it meant to count per key.
    const crcEntry = get('usecrc');
    const crcUnread = crcEntry !== undefined && !parseBoolean(crcEntry.value).ok;
    if (maxKeysEntry !== undefined && key.kind === 'none' && get('key') === undefined && !crcUnread) {
      ctx.warning('R326', '`max_keys` has no effect: the item counts all its lines under one key', maxKeysEntry.span, {
        notes: ['set `usecrc = true` or `key = $N` to count per key'],
      });
    }

    if (path === undefined || regex === null) return null;
    return {
      name,
      span: section.span,
      path,
      regex,
      everyLine: regexEntry === undefined && snort === null,
      ...(snort === null ? {} : { alert: snort.alert }),
      upbound,
      upboundAction,
      upboundHoldoff,
      downbound,
      downboundAction,
      key,
      size,
      sizeAction,
      timestamp,
      ...common,
    };
  }

  // A frequency or size without its action (and the reverse), reported on the item's own entry.
  private checkPairs(
    own: (key: ItemKey) => Entry | undefined,
    get: (key: ItemKey) => Entry | undefined,
    downboundDisabled: boolean,
  ): void {
    const { ctx } = this;
    for (const [freq, action] of [
      ['upbound_freq', 'upbound_action'],
      ['upbound_holdoff', 'upbound_action'],
      ['downbound_freq', 'downbound_action'],
    ] as const) {
      const entry = own(freq);
      if (entry !== undefined && get(action) === undefined) {
        ctx.warning('R325', `\`${freq}\` has no \`${action}\` to run`, entry.span);
      }
    }
    const downAction = own('downbound_action');
    if (downAction !== undefined && downboundDisabled) {
      ctx.warning('R302', '`downbound_action` never runs without a `downbound_freq` of at least 1/T', downAction.keySpan);
    }
    const size = own('size');
    if (size !== undefined && get('size_action') === undefined) {
      ctx.error('R302', '`size` needs a `size_action`', size.span);
    }
    const sizeAction = own('size_action');
    if (sizeAction !== undefined && get('size') === undefined) {
      ctx.error('R302', '`size_action` needs a `size`', sizeAction.span);
    }
  }

  private regexOf(entry: Entry): RegexModel | null {
    const known = this.regexByEntry.get(entry);
    if (known !== undefined || this.regexByEntry.has(entry)) return known ?? null;
    const model = checkRegex(this.ctx, entryValue(entry));
    this.regexByEntry.set(entry, model);
    return model;
  }

  private defaultRegex(section: Section): RegexModel | null {
    return checkRegex(this.ctx, { text: DEFAULT_REGEX, span: section.nameSpan });
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
