/**
 * Items on one path share one reader (docs/tailing.md), so where it starts and what kind of file
 * it is are the path's, not each item's: items that disagree would get the first one's silently.
 */
import type { Span } from '../../grammar/diagnostic.js';
import type { ItemModel } from '../model.js';
import type { CheckContext } from './context.js';
import type { IndexedItem } from './sections.js';

/** A checked item beside the section it was read from. */
export interface ReadItem {
  readonly model: ItemModel;
  readonly source: IndexedItem;
}

export function checkSharedPaths(ctx: CheckContext, items: readonly ReadItem[]): void {
  const firstOnPath = new Map<string, ReadItem>();
  for (const item of items) {
    const first = firstOnPath.get(item.model.path);
    if (first === undefined) {
      firstOnPath.set(item.model.path, item);
      continue;
    }
    const settings = [
      ['start', first.model.start, item.model.start],
      ['file_type', first.model.fileType, item.model.fileType],
    ] as const;
    for (const [key, theirs, ours] of settings) {
      if (theirs === ours) continue;
      const message = `item \`${item.model.name}\` reads ${item.model.path} with \`${key} = ${ours}\`, but \`${first.model.name}\` reads it with \`${key} = ${theirs}\``;
      ctx.error('R329', message, where(item, key), {
        labels: [{ span: where(first, key), message: `\`${key} = ${theirs}\` for \`${first.model.name}\`` }],
        notes: ['items on one file share one reader: give them the same value, or set it once in [general]'],
      });
    }
  }
}

/** The item's own entry for `key`, or its name when the value is a default. */
function where(item: ReadItem, key: string): Span {
  return item.source.entries.get(key)?.span ?? item.source.section.nameSpan;
}
