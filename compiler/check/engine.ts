/** Engine-wide settings that only `[general]` may set. */
import type { Entry } from '../../grammar/ast.js';
import type { EngineSettings } from '../../runtime/contract.js';
import type { CheckContext } from './context.js';
import { readInteger, readText } from './read-value.js';

const DEFAULT_ACTION_THREADS = 2;

/** `athread_count` (1..64, default 2), `uid`, `gid` and `state` from `[general]`. */
export function checkEngine(ctx: CheckContext, general: ReadonlyMap<string, Entry>): EngineSettings {
  const text = (key: string): string | null => {
    const entry = general.get(key);
    return (entry && readText(ctx, entry)) ?? null;
  };
  const threads = general.get('athread_count');
  return {
    actionThreads: (threads && readInteger(ctx, threads, 1, 64)) ?? DEFAULT_ACTION_THREADS,
    uid: text('uid'),
    gid: text('gid'),
    stateDir: text('state'),
  };
}
