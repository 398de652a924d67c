/**
 * Items whose regex the gram scan decides by its sequence program (SourceSpec.sequences) count
 * and fire exactly as when every candidate runs its regex, on real lines, while their regexes
 * run only for what the programs cannot settle and for fires.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateRules } from '../../../bench/bench.js';
import { loadRuleFile } from '../../../cli/load-rules.js';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import type { ItemSpec, RuleModule } from '../../../runtime/contract.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { LineSplitter } from '../../../runtime/sources/tail/line-splitter.js';
import { corpusLines } from '../../helpers/corpus.js';
import { memoryLog, RecordingSink } from './helpers.js';

/** The 200 bench rules from real log templates, plus fail2ban-like ones, on one file. */
async function compiledRules(): Promise<RuleModule> {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-seq-'));
  try {
    const file = join(dir, 'rules.rules');
    const extra = [
      '[pam]\npath = /var/log/x.log\nregex = authentication failure;.*rhost=(\\S+)\nupbound_freq = 2/60\nupbound_action = /bin/true "$1"\n',
      '[fail]\npath = /var/log/x.log\nregex = Failed password for (?:invalid user )?(\\S+) from (\\S+)\nupbound_freq = 2/60\nupbound_action = /bin/true "$2"\n',
      '[closed]\npath = /var/log/x.log\nregex = sshd\\[(\\d+)\\]: Connection closed by ([\\d.]+)$\nupbound_freq = 2/60\nupbound_action = /bin/true "$2"\n',
    ];
    // No hold-off: every key fires again and again, so the fires compare many captures.
    writeFileSync(file, `[general]\nupbound_holdoff = 0\n\n${templateRules(200, '/var/log/x.log', '3/60')}\n${extra.join('\n')}`);
    const loaded = await loadRuleFile(file);
    if (loaded.module === null) throw new Error(loaded.report);
    return loaded.module;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The module with its regex calls counted. */
function counted(module: RuleModule, calls: { test: number }): RuleModule {
  const items = module.items.map((item): ItemSpec => {
    const test = item.test;
    return test === undefined ? item : { ...item, test: (line) => (calls.test++, test(line)) };
  });
  return { ...module, items };
}

function run(module: RuleModule, text: Buffer): { engine: Engine; sink: RecordingSink } {
  const sink = new RecordingSink();
  const engine = new Engine(module, { clock: new ManualClock(0), actions: sink, log: memoryLog().log });
  const splitter = new LineSplitter(65536, 0);
  for (let at = 0, size = 1; at < text.length; at += size, size = (size * 7 + 3) % 8192) {
    const { lines, ascii } = splitter.push(text.subarray(at, at + size));
    engine.onLines(0, lines, ascii);
  }
  return { engine, sink };
}

describe('sequence programs in the engine', () => {
  it('count and fire exactly as the regexes do, on real lines, with most regex calls spared', async () => {
    const module = await compiledRules();
    const source = module.sources[0]!;
    expect(source.sequences?.filter((s) => s !== null).length).toBeGreaterThanOrEqual(200);
    const withoutPrograms: RuleModule = { ...module, sources: [{ ...source, sequences: undefined }] };
    const lines = [
      ...corpusLines('loghub/OpenSSH_2k.log'), ...corpusLines('loghub/Linux_2k.log'), ...corpusLines('loghub/Apache_2k.log'),
      ...corpusLines('loghub/Thunderbird_2k.log'), ...corpusLines('elastic/auth.log', 3000), ...corpusLines('fail2ban/logs/sshd.log'),
    ];
    const text = Buffer.from(`${lines.join('\n')}\n`);
    const programCalls = { test: 0 };
    const regexCalls = { test: 0 };
    const a = run(counted(module, programCalls), text);
    const b = run(counted(withoutPrograms, regexCalls), text);
    expect(a.engine.stats()).toEqual(b.engine.stats());
    expect(a.sink.requests.map((r) => [r.item.name, r.line, r.captures])).toEqual(b.sink.requests.map((r) => [r.item.name, r.line, r.captures]));
    const matched = a.engine.stats().items.reduce((n, item) => n + item.matched, 0);
    expect(matched).toBeGreaterThan(5_000);
    expect(a.sink.requests.length).toBeGreaterThan(1_000);
    // Without programs every candidate ran its regex; with them, few did (non-ASCII lines, items without one).
    expect(regexCalls.test).toBeGreaterThan(matched);
    expect(programCalls.test).toBeLessThan(regexCalls.test / 10);
  });
});
