import type { ActionSpec, Captures, ItemSpec } from '../contract.js';

/**
 * Why an action fires: too many matches, too few, the file grew past a multiple of `size`, or
 * a realtime monitor saw a file change.
 */
export type FireKind = 'upbound' | 'downbound' | 'size' | 'change';

/**
 * One fired action, as the engine hands it over. `captures` and `line` are the match that fired
 * it (empty for down-bound and size); `env` carries the extra `RULEC_*` variables of its kind.
 */
export interface ActionRequest {
  readonly item: ItemSpec;
  readonly kind: FireKind;
  readonly spec: ActionSpec;
  readonly captures: Captures;
  readonly line: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * When the engine fired it, in its counting time: the matched line's time (its log time when
   * the item counts in log time), the moment a silence was checked, the log's last time (NaN
   * when none yet) or arrival for a size.
   */
  readonly at?: number;
}

/** Where the engine sends fired actions; `submit` must return at once and never throw. */
export interface ActionSink {
  submit(request: ActionRequest): void;
}
