/**
 * `rulec run --watch`: a real daemon process, rule files changed on disk; it reloads as SIGUSR1
 * does, follows the files a new `source` line names, and a bundle refuses the flag.
 */
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { tempDir } from './run-cli.js';
import { itemText, MARKER, records, startRun, waitFor, type Daemon } from './run-helpers.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** How many times `text` occurs in `output`. */
const count = (output: string, text: string): number => output.split(text).length - 1;

describe('rulec run --watch', () => {
  it('reloads when the rule file or a file it sources changes, and watches a file a new source line names', async () => {
    const { dir, remove } = tempDir('rulec-run-watch-');
    cleanup.push(remove);
    const log = join(dir, 'app.log');
    const rec = join(dir, 'records');
    writeFileSync(log, '');
    writeFileSync(join(dir, 'main.rules'), 'source inc.rules\n');
    writeFileSync(join(dir, 'inc.rules'), itemText('ERRORS', log, 'ERROR (\\w+)', MARKER, rec, '"$1"'));
    const d: Daemon = startRun([join(dir, 'main.rules'), '-s', '--watch'], dir, 60_000);
    cleanup.push(() => d.child.kill('SIGKILL'));
    expect(await waitFor(() => d.output().includes('--watch: reloading when any of 2 rule file(s) changes'))).toBe(true);

    // An edit of the sourced file (written beside and renamed over it, as editors save).
    writeFileSync(join(dir, 'inc.rules.new'), itemText('WARNINGS', log, 'WARN (\\w+)', MARKER, rec, '"$1"'));
    renameSync(join(dir, 'inc.rules.new'), join(dir, 'inc.rules'));
    expect(await waitFor(() => count(d.output(), 'reloaded: 1 item(s)') === 1)).toBe(true);
    appendFileSync(log, 'ERROR old\nWARN new\n');
    expect(await waitFor(() => records(rec).length === 1)).toBe(true);

    // The main file gains a source line: the file it names is watched from then on.
    writeFileSync(join(dir, 'more.rules'), itemText('NOTES', log, 'NOTE (\\w+)', MARKER, rec, '"$1"'));
    writeFileSync(join(dir, 'main.rules'), 'source inc.rules\nsource more.rules\n');
    expect(await waitFor(() => d.output().includes('reloaded: 2 item(s)'))).toBe(true);
    writeFileSync(join(dir, 'more.rules'), itemText('INFOS', log, 'INFO (\\w+)', MARKER, rec, '"$1"'));
    expect(await waitFor(() => count(d.output(), 'reloaded: 2 item(s)') === 2)).toBe(true);
    appendFileSync(log, 'NOTE gone\nINFO here\n');
    expect(await waitFor(() => records(rec).length === 2)).toBe(true);

    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(records(rec)).toEqual([['new'], ['here']]);
  }, 90_000);

  it('is refused for a bundle, which cannot reload its rules', async () => {
    let err = '';
    const { runMain } = await import('../../runtime/index.js');
    const code = await runMain(['--watch'], { rules: { modules: [] }, io: { out: () => {}, err: (t) => void (err += t) } });
    expect(code).toBe(2);
    expect(err).toBe('rulec: --watch needs a rule file: a bundle cannot reload its rules\n');
    // The CLI's usage lists it.
    let out = '';
    await main(['run', '--help'], { out: (t) => void (out += t), err: () => {} });
    expect(out).toContain('--watch          reload when the rule file or a file it sources changes');
  });
});
