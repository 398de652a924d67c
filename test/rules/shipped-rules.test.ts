import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../compiler/pipeline.js';
import { loadRuleFile } from '../../cli/load-rules.js';
import { DryRun, type DryRunEvent } from '../../runtime/daemon/dry-run.js';
import { LineStream } from '../../runtime/sources/line-stream.js';
import { runHere } from '../cli/run-here.js';

const RULES = fileURLToPath(new URL('../../rules/', import.meta.url));
const names = readdirSync(RULES).filter((f) => f.endsWith('.rules')).map((f) => f.slice(0, -'.rules'.length));

/** Every `.rules` file under rules/, examples included, relative to rules/. */
function allRuleFiles(): string[] {
  return readdirSync(RULES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.rules')).sort();
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

/** Replays a sample log (log time, as `rulec test --replay`) and returns every event. */
async function replay(name: string, log: string): Promise<{ events: DryRunEvent[]; alerting: Set<string> }> {
  const loaded = await loadRuleFile(join(RULES, `${name}.rules`));
  expect(loaded.report).toBe('');
  const module = loaded.module!;
  const events: DryRunEvent[] = [];
  const run = new DryRun(module, { replay: true, startMs: Date.now(), matches: true, onEvent: (e) => events.push(e) });
  for await (const batch of LineStream.open(log, { lineMax: DryRun.readLineMax(module) })) run.feed(batch);
  run.finish();
  // Items whose matches count towards an alarm; a size-only item matches every line by design.
  const alerting = new Set(module.items.filter((i) => i.upboundAction !== null || i.downboundAction !== null).map((i) => i.name));
  return { events, alerting };
}

describe('shipped rule sets', () => {
  it('ships demo and ssh-brute-force, each with positive and negative samples', () => {
    expect(names).toEqual(expect.arrayContaining(['demo', 'ssh-brute-force']));
    for (const name of names) {
      expect(existsSync(join(RULES, `${name}.pos.log`)), `${name}.pos.log`).toBe(true);
      expect(existsSync(join(RULES, `${name}.neg.log`)), `${name}.neg.log`).toBe(true);
    }
  });

  it('are all laid out as rulec fmt lays them out (fmt --check passes on every one)', async () => {
    const files = allRuleFiles();
    // The example report rules are among them, so a walk that missed examples/ would fail here.
    expect(files).toEqual(expect.arrayContaining(['demo.rules', 'ssh-brute-force.rules', join('examples', 'report.rules')]));
    const result = await runHere(['fmt', '--check', ...files], { cwd: RULES });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  describe.each(names)('%s', (name) => {
    it('checks with no errors and no warnings', () => {
      const [result] = checkFiles([join(RULES, `${name}.rules`)]);
      expect(result!.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    });

    it('matches every positive line with an alerting item, and every alarm fires on the positives', async () => {
      const pos = lines(join(RULES, `${name}.pos.log`));
      const { events, alerting } = await replay(name, join(RULES, `${name}.pos.log`));
      // Without these, an empty sample or a rule set with no alarms would pass unseen.
      expect(pos.length).toBeGreaterThan(0);
      expect(alerting.size).toBeGreaterThan(0);
      const matched = new Set(events.filter((e) => e.type === 'match' && alerting.has(e.item)).map((e) => e.line));
      const unmatched = pos.filter((_, i) => !matched.has(i + 1));
      expect(unmatched).toEqual([]);
      const fired = new Set(events.filter((e) => e.type === 'fire').map((e) => e.item));
      expect([...fired].sort()).toEqual([...alerting].sort());
    });

    it('fires nothing on the negative samples', async () => {
      const neg = join(RULES, `${name}.neg.log`);
      expect(lines(neg).length).toBeGreaterThan(0);
      const { events } = await replay(name, neg);
      expect(events.filter((e) => e.type === 'fire')).toEqual([]);
    });
  });
});
