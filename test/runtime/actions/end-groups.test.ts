/**
 * endGroups: SIGTERM, then SIGKILL after the grace to what is left, on real process groups;
 * and not to a group number that has come to name a process started since (pid reuse), which
 * a real system cannot be made to do on cue, so the start times are handed in there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { endGroups, processStartTime } from '../../../runtime/actions/run-action.js';
import { running } from '../../helpers/proc.js';
import { waitFor } from '../sources/tail/helpers.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.pid !== undefined && running(child.pid)) process.kill(-child.pid, 'SIGKILL');
});

/** A process leading its own group that ignores SIGTERM; resolves once it does. */
async function stubborn(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child.pid!;
}

describe('endGroups', () => {
  it('kills a group that ignores SIGTERM after the grace', async () => {
    const pid = await stubborn();
    await endGroups([pid], 200, { keepAlive: true });
    // It would live on forever: any bound tells a kill from none; a generous one suits a busy machine.
    expect(await waitFor(() => !running(pid), 20_000)).toBe(true);
  });

  it('spares a group number that names a process started since the SIGTERM, and kills when it still names the leader', async () => {
    const pid = await stubborn();
    // As if the group ended during the grace and its number went to a new process.
    let calls = 0;
    await endGroups([pid], 200, { keepAlive: true, startTimeOf: () => (calls++ === 0 ? '100' : '200') });
    expect(calls).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(running(pid)).toBe(true);
    // The same start time both times: the leader, still ours.
    await endGroups([pid], 200, { keepAlive: true, startTimeOf: () => '100' });
    expect(await waitFor(() => !running(pid), 20_000)).toBe(true);
  });

  it('reads start times from /proc, also for a command name with spaces and parentheses', async () => {
    const own = processStartTime(process.pid);
    expect(own).toMatch(/^\d+$/);
    expect(processStartTime(process.pid)).toBe(own);
    const dir = mkdtempSync(join(tmpdir(), 'rulec-groups-'));
    try {
      const program = join(dir, 'a) b (c');
      copyFileSync('/bin/sleep', program);
      const child = spawn(program, ['30'], { detached: true, stdio: 'ignore' });
      children.push(child);
      await new Promise<void>((resolve) => child.once('spawn', () => resolve()));
      const started = processStartTime(child.pid!);
      expect(started).toMatch(/^\d+$/);
      expect(Number(started)).toBeGreaterThanOrEqual(Number(own));
      process.kill(child.pid!, 'SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(processStartTime(child.pid!)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
