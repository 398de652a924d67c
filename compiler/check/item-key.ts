/**
 * The per-item counting key: `usecrc` (CRC-32 of `$0`) or `key = $N` / `$name`. With a broken
 * regex (`null`, already reported) the entries are still read, so their own mistakes are reported
 * in the same run; only the group lookup is skipped.
 */
import type { Entry } from '../../grammar/ast.js';
import type { DiagnosticLabel } from '../../grammar/diagnostic.js';
import type { KeySpec } from '../../runtime/contract.js';
import { didYouMean } from '../did-you-mean.js';
import type { RegexModel } from '../model.js';
import { entryValue, suggestion } from './context.js';
import type { CheckContext } from './context.js';
import type { ItemKey } from './keys.js';
import { readBoolean } from './read-value.js';
import { groupNumber } from './regex.js';

/** How the item's entries are looked up: its own, or with `[general]` defaults. */
export interface EntryLookup {
  own(key: ItemKey): Entry | undefined;
  get(key: ItemKey): Entry | undefined;
  /** A label naming the item when the entry is a `[general]` default. */
  inherited(entry: Entry): DiagnosticLabel | undefined;
}

const REFERENCE = /^\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))$/;

/** The item's KeySpec; R321 when `usecrc` and `key` both choose, R310 for a group the regex lacks. */
export function checkKey(ctx: CheckContext, entries: EntryLookup, regex: RegexModel | null): KeySpec {
  const crcEntry = entries.get('usecrc');
  const useCrc = crcEntry !== undefined && readBoolean(ctx, crcEntry) === true;
  const keyEntry = entries.get('key');
  if (keyEntry === undefined) return useCrc ? { kind: 'crc' } : { kind: 'none' };
  if (useCrc && crcEntry !== undefined) {
    const keyIsOwn = entries.own('key') === keyEntry;
    const crcIsOwn = entries.own('usecrc') === crcEntry;
    // An item's own choice overrides the other one inherited from [general].
    if (crcIsOwn && !keyIsOwn) return { kind: 'crc' };
    if (keyIsOwn === crcIsOwn) {
      ctx.error('R321', '`key` and `usecrc = true` both choose the counting key', keyEntry.keySpan, {
        labels: [{ span: crcEntry.span, message: '`usecrc` set here' }],
        notes: ['keep one: `usecrc` counts per CRC-32 of `$0`, `key` per capture'],
      });
      return { kind: 'none' };
    }
  }
  const index = captureIndex(ctx, keyEntry, regex, entries.inherited(keyEntry));
  return index === undefined ? { kind: 'none' } : { kind: 'capture', index };
}

function captureIndex(ctx: CheckContext, entry: Entry, regex: RegexModel | null, inheritedBy: DiagnosticLabel | undefined): number | undefined {
  const labels = inheritedBy ? [inheritedBy] : [];
  const found = REFERENCE.exec(entry.value);
  const reference = found?.[1] ?? found?.[2];
  if (reference === undefined) {
    ctx.error('R321', `\`key\` must be \`$N\` or \`$name\` of a capture group, not \`${entry.value}\``, ctx.at(entryValue(entry)));
    return undefined;
  }
  if (regex === null) return undefined;
  if (/^[0-9]+$/.test(reference)) {
    const index = Number(reference);
    if (index <= regex.groupCount) return index;
    ctx.error('R310', `\`key\` names \`$${index}\` but the regex has ${groups(regex.groupCount)}`, ctx.at(entryValue(entry)), { labels });
    return undefined;
  }
  const index = groupNumber(regex, reference);
  if (index !== undefined) return index;
  ctx.error('R310', `\`key\` names group \`${reference}\` but the regex has no group of that name`, ctx.at(entryValue(entry)), {
    labels,
    notes: suggestion(didYouMean(reference, regex.groupNames)),
  });
  return undefined;
}

function groups(count: number): string {
  return count === 1 ? '1 capture group' : `${count} capture groups`;
}
