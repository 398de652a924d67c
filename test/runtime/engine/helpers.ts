import type { ActionRequest, ActionSink } from '../../../runtime/actions/action-sink.js';
import type { ActionSpec, ItemSpec, MatchResult, RuleModule, SourceSpec } from '../../../runtime/contract.js';
import { CONTRACT_VERSION } from '../../../runtime/contract.js';
import { Logger } from '../../../runtime/log/logger.js';

/** Collects submitted actions in memory, in order. */
export class RecordingSink implements ActionSink {
  readonly requests: ActionRequest[] = [];
  submit(request: ActionRequest): void {
    this.requests.push(request);
  }
  kinds(): string[] {
    return this.requests.map((r) => r.kind);
  }
}

export const ACTION: ActionSpec = { shell: false, argv: [[{ kind: 'text', text: '/bin/true' }]], source: '/bin/true' };

/** A matcher from a regex, as generated modules do it. */
export function matcher(re: RegExp): (line: string) => MatchResult | null {
  return (line) => {
    const m = re.exec(line);
    return m ? { captures: [...m] } : null;
  };
}

export function item(overrides: Partial<ItemSpec> = {}): ItemSpec {
  return {
    name: 'ITEM', path: '/var/log/test.log', fileType: 'file', start: 'end',
    match: matcher(/fail from (\S+)/), groupCount: 1,
    upbound: { count: 5, seconds: 30 }, upboundAction: ACTION,
    downbound: null, downboundAction: null,
    key: { kind: 'none' }, maxKeys: 1000, size: null, sizeAction: null,
    clock: 'arrival', timestamp: { format: 'auto', zone: 'UTC' }, lineMax: 65536, rotateWait: 0, actionTimeout: 0,
    ...overrides,
  };
}

/** One source holding every item; the prefilter passes every item (the engine must still match). */
export function moduleOf(...items: ItemSpec[]): RuleModule {
  const all = items.map((_, i) => i);
  const source: SourceSpec = { path: items[0]?.path ?? '/x', fileType: 'file', start: 'end', items: all, literals: all.map(() => null) };
  return {
    contractVersion: CONTRACT_VERSION, name: 'test.rules', settings: {},
    engine: { actionThreads: 2, uid: null, gid: null, stateDir: null },
    items, sources: [source], blocks: [],
  };
}

/** A logger whose lines land in an array. */
export function memoryLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: new Logger({ level: 'debug', stdout: { write: (t: string) => lines.push(t) }, now: () => 0 }), lines };
}
