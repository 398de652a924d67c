import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import type { RuleModule } from '../../../runtime/contract.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { LineSplitter } from '../../../runtime/sources/tail/line-splitter.js';
import { corpusLines } from '../../helpers/corpus.js';
import { item, matcher, memoryLog, moduleOf, RecordingSink } from './helpers.js';

/** Rules on real sshd lines; long literals put the prefilter on its gram index, `sshd[` beside it is tested natively. */
const RULES: { re: RegExp; literal: string | null }[] = [
  { re: /Failed password for (?:invalid user )?(\S+) from (\S+)/, literal: 'Failed password for ' },
  { re: /Invalid user (\S+) from (\S+)/, literal: 'Invalid user ' },
  { re: /session opened for user (\S+)/i, literal: 'session opened for user ' },
  { re: /Received disconnect from (\S+)/, literal: 'Received disconnect from ' },
  { re: /authentication failure;.*rhost=(\S+)/, literal: 'authentication failure;' },
  { re: /sshd\[(\d+)\]: Connection closed/, literal: 'sshd[' },
  { re: /(\S+) logged out$/, literal: ' logged out' },
  { re: /^(\w+) +\d+ /, literal: null },
];

/** Literals at the very start and end of a line: where byte offsets go wrong first. */
const EDGES = ['Invalid user a from b', 'Failed password for x from y', 'bob logged out', 'x SESSION OPENED FOR USER root'];

function engineOver(module: RuleModule, sink: RecordingSink): Engine {
  return new Engine(module, { clock: new ManualClock(0), actions: sink, log: memoryLog().log });
}

describe('Engine given the lines’ bytes', () => {
  it('matches, counts and fires exactly as from the strings alone, on real lines read in uneven chunks', () => {
    const base = moduleOf(...RULES.map((r, i) => item({ name: `R${i}`, match: matcher(r.re), upbound: { count: 3, seconds: 60 } })));
    const module: RuleModule = { ...base, sources: [{ ...base.sources[0]!, literals: RULES.map((r) => r.literal) }] };
    const text = Buffer.from(`${[...EDGES, ...corpusLines('loghub/OpenSSH_2k.log'), ...EDGES, ...corpusLines('elastic/auth.log', 2000), ...EDGES, 'ünï line Failed password for x from y'].join('\n')}\n`);
    const withBytes = new RecordingSink();
    const stringsOnly = new RecordingSink();
    const a = engineOver(module, withBytes);
    const b = engineOver(module, stringsOnly);
    const splitter = new LineSplitter(300, 0); // some corpus lines are longer: cut lines have no bytes
    let placed = 0;
    for (let at = 0, size = 1; at < text.length; at += size, size = (size * 7 + 3) % 4096) {
      const { lines, ascii } = splitter.push(text.subarray(at, at + size));
      for (let k = 0; ascii !== null && k < lines.length; k++) if (ascii.starts[k]! >= 0) placed++;
      a.onLines(0, lines, ascii);
      b.onLines(0, lines);
    }
    expect(placed).toBeGreaterThan(3000); // most lines really went through the byte path
    expect(a.stats()).toEqual(b.stats());
    expect(withBytes.requests.map((r) => [r.item.name, r.line])).toEqual(stringsOnly.requests.map((r) => [r.item.name, r.line]));
    expect(a.stats().items.filter((s) => s.upboundFires > 0).length).toBeGreaterThanOrEqual(6);
  });
});
