/**
 * What differs between two monitor listings: files added, removed and changed, by name. A
 * change says what changed: the content (digest), the size, the kind (file or link), a link's
 * target, the mode, the owner. Digests of different algorithms cannot be compared: then the
 * content counts as unchanged when the size is, and the result says so once (`note`).
 */
import type { ListingEntry, Ownership } from './listing.js';
import { escapeName } from './name-escape.js';

/** One difference, in the order of names (bytes). */
export interface Difference {
  readonly change: 'added' | 'removed' | 'changed';
  readonly name: Buffer;
  /** For `changed`: what, e.g. `content`, `size 10 -> 12`, `mode 0644 -> 4755`. */
  readonly details: readonly string[];
}

/** The differences, and a note when some contents could not be compared. */
export interface Comparison {
  readonly differences: readonly Difference[];
  readonly note: string | null;
}

type Named = Exclude<ListingEntry, { kind: 'warn' }>;

function byName(entries: readonly ListingEntry[]): Map<string, Named> {
  const map = new Map<string, Named>();
  for (const entry of entries) if (entry.kind !== 'warn') map.set(entry.name.toString('latin1'), entry);
  return map;
}

const octal = (mode: number): string => mode.toString(8).padStart(4, '0');

function ownerDetails(before: Ownership | null, after: Ownership | null): string[] {
  if (before === null || after === null) return [];
  const details: string[] = [];
  if (before.mode !== after.mode) details.push(`mode ${octal(before.mode)} -> ${octal(after.mode)}`);
  if (before.uid !== after.uid || before.gid !== after.gid) details.push(`owner ${before.uid}:${before.gid} -> ${after.uid}:${after.gid}`);
  return details;
}

/** Compares `prior` with `current`. */
export function compareListings(prior: readonly ListingEntry[], current: readonly ListingEntry[]): Comparison {
  const before = byName(prior);
  const after = byName(current);
  const differences: Difference[] = [];
  let uncompared = false;
  for (const [key, old] of before) {
    const now = after.get(key);
    if (now === undefined) {
      differences.push({ change: 'removed', name: old.name, details: [] });
      continue;
    }
    const details: string[] = [];
    if (old.kind !== now.kind) {
      details.push(`${old.kind} -> ${now.kind}`);
    } else if (old.kind === 'link' && now.kind === 'link') {
      if (!old.target.equals(now.target)) details.push(`target ${escapeName(old.target)} -> ${escapeName(now.target)}`);
    } else if (old.kind === 'file' && now.kind === 'file') {
      if (old.algorithm !== now.algorithm) uncompared = true;
      else if (old.digest !== now.digest) details.push('content');
      if (old.size !== now.size) details.push(`size ${old.size} -> ${now.size}`);
    }
    if (old.kind === now.kind) details.push(...ownerDetails(old.owner, now.owner));
    if (details.length > 0) differences.push({ change: 'changed', name: now.name, details });
  }
  for (const [key, now] of after) if (!before.has(key)) differences.push({ change: 'added', name: now.name, details: [] });
  differences.sort((a, b) => Buffer.compare(a.name, b.name));
  return {
    differences,
    note: uncompared ? 'the listings use different digest algorithms: contents were compared by size only' : null,
  };
}

/** A difference as one report line: `changed<TAB>NAME<TAB>content, size 1 -> 2`. */
export function differenceLine(difference: Difference): string {
  const base = `${difference.change}\t${escapeName(difference.name)}`;
  return difference.details.length === 0 ? base : `${base}\t${difference.details.join(', ')}`;
}
