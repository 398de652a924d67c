/** The `monitor` block: tree listings with digests, their comparison, and their line format. */
import type { BlockSpec } from '../../contract.js';
import type { MonitorSettings } from './monitor-block.js';

export { compareListings, differenceLine, type Comparison, type Difference } from './compare.js';
export { algorithmOf, type DigestAlgorithm } from './digest.js';
export { parseListing, type ListingEntry, type ListingProblem } from './listing.js';
export { runMonitor, type MonitorSettings, type TextOut } from './monitor-block.js';
export { escapeName, unescapeName } from './name-escape.js';

/** A monitor block's settings, with the defaults of a module built before they existed. */
export function monitorSettings(block: Extract<BlockSpec, { kind: 'monitor' }>): MonitorSettings {
  return { dirs: block.dirs, digest: block.digest ?? 'md5', crossFilesystems: block.crossFilesystems ?? false };
}
