/**
 * `realtime yes` in a daemon (the one `rulec run` builds): a real tree changed on disk, real
 * inotify events through chokidar, real action processes recording what they were given. Every
 * wait is bounded; order is asserted, not time.
 */
import { appendFileSync, chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleFile } from '../../../../cli/load-rules.js';
import { createDaemon } from '../../../../runtime/daemon/daemon.js';
import { Logger } from '../../../../runtime/log/logger.js';
import { REALTIME_MONITOR_SERVICE } from '../../../../runtime/sources/monitor/realtime-service.js';
import { records } from '../../../cli/run-helpers.js';
import { MARKER } from '../../../cli/run-helpers.js';
import { tempDir } from '../../../cli/run-cli.js';
import { waitFor } from '../../../helpers/wait-for.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('rulec-realtime-');
});
afterAll(() => tmp?.remove());

describe('realtime monitor', () => {
  it('reports each change as it happens, says what changed, runs the action with $change and $path, and nothing for a touch', async () => {
    const tree = join(tmp.dir, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(tree, 'passwd'), 'root:x:0:0\n');
    writeFileSync(join(tree, 'sub', 'old'), 'old\n');
    symlinkSync('passwd', join(tree, 'link'));
    const recordsFile = join(tmp.dir, 'records.jsonl');
    const rules = join(tmp.dir, 'realtime.rules');
    writeFileSync(rules, ['monitor <<__EOM', `    dir ${tree}`, '    realtime yes', `    action ${process.execPath} ${MARKER} ${recordsFile} $change $path`, '__EOM', ''].join('\n'));
    const loaded = await loadRuleFile(rules);
    expect(loaded.report).toBe('');
    let logged = '';
    const log = new Logger({ stdout: { write: (text: string) => void (logged += text) } });
    const daemon = createDaemon([loaded.module!], { log, services: [REALTIME_MONITOR_SERVICE] });
    const seen = (count: number): Promise<boolean> => waitFor(() => records(recordsFile).length >= count, 20_000);
    try {
      await daemon.start();
      expect(await waitFor(() => logged.includes('watching 2 file(s) and 1 link(s) for changes'), 20_000)).toBe(true);

      appendFileSync(join(tree, 'passwd'), 'mallory:x:0:0\n');
      expect(await seen(1)).toBe(true);
      // A touch changes no listed field: nothing is reported for it, and the next change comes next.
      utimesSync(join(tree, 'passwd'), new Date(), new Date(Date.now() + 60_000));
      writeFileSync(join(tree, 'new file'), 'x');
      expect(await seen(2)).toBe(true);
      unlinkSync(join(tree, 'sub', 'old'));
      expect(await seen(3)).toBe(true);
      chmodSync(join(tree, 'passwd'), 0o4755);
      expect(await seen(4)).toBe(true);
      // A link re-pointed (written beside, renamed over): its target is what changed.
      symlinkSync('new file', join(tree, 'link.tmp'));
      renameSync(join(tree, 'link.tmp'), join(tree, 'link'));
      expect(await seen(5)).toBe(true);

      expect(records(recordsFile)).toEqual([
        ['changed', `${tree}/passwd`],
        ['added', `${tree}/new file`],
        ['removed', `${tree}/sub/old`],
        ['changed', `${tree}/passwd`],
        ['changed', `${tree}/link`],
      ]);
      expect(logged).toContain(`changed\\t${tree}/passwd\\tcontent, size 11 -> 25`);
      expect(logged).toContain(`changed\\t${tree}/passwd\\tmode 0644 -> 4755`);
      expect(logged).toContain(`changed\\t${tree}/link\\ttarget passwd -> new file`);
    } finally {
      await daemon.stop();
    }
    expect(daemon.stats().services).toEqual([{ name: 'realtime monitor', counts: { 'change(s) reported': 5, 'change(s) not reported (too frequent)': 0 }, items: [] }]);
    // Stopped: nothing is watched any more.
    rmSync(join(tree, 'new file'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(records(recordsFile)).toHaveLength(5);
  }, 60_000);
});
