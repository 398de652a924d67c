/** `rulec run` and its actions: per-item queues seen from outside, through a real daemon process. */
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { read, startRun, waitFor } from './run-helpers.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

describe('rulec run: a slow item flooding its actions', () => {
  it('cannot keep another item\'s actions from running; its drops are counted per item in the log and the stopping summary', async () => {
    const { dir, remove } = tempDir('rulec-run-actions-');
    cleanup.push(remove);
    const [log, own, rules, bans] = [join(dir, 'app.log'), join(dir, 'rulec.log'), join(dir, 'app.rules'), join(dir, 'bans')];
    writeFileSync(log, '');
    mkdirSync(bans);
    writeFileSync(rules, [
      '[SLOW]', `path = ${log}`, 'regex = ^SLOW \\d+', 'upbound_action = /bin/sleep 30', '',
      '[BAN]', `path = ${log}`, 'regex = ^BAN (\\d+)$', `upbound_action = /usr/bin/touch ${bans}/ban-$1`, '',
    ].join('\n'));
    const d = startRun([rules, '-l', own], dir);
    cleanup.push(() => d.child.kill('SIGKILL'));
    expect(await waitFor(() => read(own).includes('running 2 item(s)'))).toBe(true);

    // 1,100 hanging actions of SLOW, then 40 of BAN, all in one write.
    const lines = [...Array.from({ length: 1_100 }, (_, i) => `SLOW ${i}`), ...Array.from({ length: 40 }, (_, i) => `BAN ${i}`)];
    appendFileSync(log, `${lines.join('\n')}\n`);
    expect(await waitFor(() => readdirSync(bans).length === 40)).toBe(true);

    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    const text = read(own);
    // SLOW: one running, 1,000 waiting (its queue's cap), 99 refused.
    expect(text).toContain('stopped: 1140 line(s) read, 1140 action(s) submitted, 99 action(s) dropped (SLOW 99)');
    const drops = text.split('\n').filter((l) => l.includes('action dropped'));
    expect(drops.map((l) => /\[(\w+)\] upbound action dropped: .*\((\d+) of this item's/.exec(l)?.slice(1))).toEqual(
      [1, 2, 4, 8, 16, 32, 64].map((n) => ['SLOW', String(n)]),
    );
  });
});
