/**
 * INI sections: `[general]` (every explicit or implicit one, pooled) and items, with unknown,
 * misplaced and duplicate keys and duplicate item names reported.
 */
import type { Entry, Section } from '../../grammar/ast.js';
import { didYouMean } from '../did-you-mean.js';
import { suggestion } from './context.js';
import type { CheckContext } from './context.js';
import { ALL_INI_KEYS, GENERAL_ONLY_KEYS, ITEM_KEYS, LOGNOT_ONLY_KEYS } from './keys.js';

/** One item section with its known keys, each entry the first of its key. */
export interface IndexedItem {
  readonly section: Section;
  readonly entries: ReadonlyMap<string, Entry>;
}

/** The sections of a program, sorted into `[general]` and items. */
export interface SectionIndex {
  /** `[general]` entries from every general section, wherever it appears. */
  readonly general: ReadonlyMap<string, Entry>;
  /** Items in program order. */
  readonly items: readonly IndexedItem[];
}

const GENERAL = 'general';

/** Pools `[general]` sections and indexes items; reports R301, R313, R314, R320 and R375. */
export function indexSections(ctx: CheckContext, sections: readonly Section[]): SectionIndex {
  const general = new Map<string, Entry>();
  const items: IndexedItem[] = [];
  const firstByName = new Map<string, Section>();
  for (const section of sections) {
    if (section.name === GENERAL) {
      collectEntries(ctx, section, true, general);
      continue;
    }
    const first = firstByName.get(section.name);
    if (first !== undefined) {
      ctx.error('R313', `duplicate section \`[${section.name}]\``, section.nameSpan, {
        labels: [{ span: first.nameSpan, message: 'first defined here' }],
      });
      continue;
    }
    firstByName.set(section.name, section);
    items.push({ section, entries: collectEntries(ctx, section, false, new Map()) });
  }
  return { general, items };
}

function collectEntries(ctx: CheckContext, section: Section, isGeneral: boolean, into: Map<string, Entry>): Map<string, Entry> {
  for (const entry of section.entries) {
    const lognotOnly = Object.hasOwn(LOGNOT_ONLY_KEYS, entry.key) ? LOGNOT_ONLY_KEYS[entry.key] : undefined;
    if (lognotOnly !== undefined) {
      ctx.warning('R375', `\`${entry.key}\` is a logNOT setting that has no effect in rulec`, entry.keySpan, { notes: [lognotOnly] });
      continue;
    }
    if (!ALL_INI_KEYS.includes(entry.key)) {
      const candidates = isGeneral ? ALL_INI_KEYS : ITEM_KEYS;
      ctx.error('R301', `unknown key \`${entry.key}\``, entry.keySpan, {
        notes: suggestion(didYouMean(entry.key, candidates) ?? didYouMean(entry.key, ALL_INI_KEYS)),
      });
      continue;
    }
    if (!isGeneral && (GENERAL_ONLY_KEYS as readonly string[]).includes(entry.key)) {
      ctx.error('R320', `\`${entry.key}\` is only allowed in [general]`, entry.keySpan);
      continue;
    }
    const first = into.get(entry.key);
    if (first !== undefined) {
      ctx.error('R314', `duplicate key \`${entry.key}\``, entry.keySpan, {
        labels: [{ span: first.keySpan, message: 'first set here' }],
      });
      continue;
    }
    into.set(entry.key, entry);
  }
  return into;
}
