/**
 * `rulec run` killed with SIGKILL and started again on the same state directory, with the log
 * rotated while it was down: the case of a daemon killed before its first checkpoint.
 */
import { once } from 'node:events';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { itemText, MARKER, read, records, startRun, waitFor, writeRules, type Daemon } from './run-helpers.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function daemon(args: readonly string[], cwd: string): Daemon {
  const d = startRun(args, cwd);
  cleanup.push(() => d.child.kill('SIGKILL'));
  return d;
}

describe('rulec run after kill -9', () => {
  it('killed as soon as it runs, the log rotated while down: the lines of the rotated file and the new one all fire', async () => {
    const { dir, remove } = tempDir('rulec-restart-');
    cleanup.push(remove);
    const log = join(dir, 'app.log');
    writeFileSync(log, 'ERROR old\n');
    const rec = join(dir, 'records');
    const own = join(dir, 'rulec.log');
    const rules = join(dir, 'app.rules');
    writeRules(rules, `[general]\nstate = ${join(dir, 'state')}\n\n${itemText('ERRORS', log, 'ERROR (\\w+)', MARKER, rec, '"$1"')}`);
    const first = daemon([rules, '-l', own], dir);
    expect(await waitFor(() => read(own).includes('running 1 item(s)'), 20_000)).toBe(true);
    const gone = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await gone;
    // While down: lines appended, the file renamed (the writer goes on in it), a new file created.
    appendFileSync(log, 'ERROR a1\nERROR a2\n');
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, 'ERROR a3\n');
    writeFileSync(log, 'ERROR b1\n');
    const second = daemon([rules, '-l', own], dir);
    expect(await waitFor(() => records(rec).length >= 4, 20_000)).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // The line there before the first start is not read (start = end), nothing is read twice.
    expect(records(rec)).toEqual([['a1'], ['a2'], ['a3'], ['b1']]);
    expect(read(own)).toMatch(/resumed \S+app\.log in its rotated file app\.log\.1 at offset 10/);
  });
});
