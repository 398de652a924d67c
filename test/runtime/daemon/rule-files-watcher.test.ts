/**
 * `rulec run --watch`'s watcher: a rule file written after its rules were read but before
 * chokidar watches it still asks for a reload; one unchanged since does not.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RuleFilesWatcher } from '../../../runtime/daemon/rule-files-watcher.js';

let dir = '';
let watcher: RuleFilesWatcher | null = null;
afterEach(async () => {
  await watcher?.close();
  watcher = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the files `changed` names, as soon as `count` have come (at most 20 s). */
function collector(count: number): { changed: (file: string) => void; got: Promise<string[]> } {
  const files: string[] = [];
  let done: (files: string[]) => void = () => {};
  const got = new Promise<string[]>((resolve) => {
    done = resolve;
    setTimeout(() => resolve(files), 20_000).unref();
  });
  return { changed: (file) => void (files.push(file) === count && done(files)), got };
}

describe('RuleFilesWatcher', () => {
  it('asks for a reload for a file written between reading the rules and watching it, at start and when a reload adds it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-rule-watch-'));
    const main = join(dir, 'main.rules');
    const more = join(dir, 'more.rules');
    const old = new Date(Date.now() - 60_000);
    writeFileSync(main, 'source more.rules\n');
    utimesSync(main, old, old);

    // At start: main.rules was read at `since` and written again before the watch began.
    const first = collector(1);
    const since = Date.now();
    writeFileSync(main, 'source more.rules\nsource other.rules\n');
    watcher = new RuleFilesWatcher([main], since, first.changed, (m) => expect.fail(m));
    await watcher.ready();
    expect(await first.got).toEqual([main]);
    await watcher.close();

    // A reload that read more.rules at `since2`; it changed before set() watched it.
    writeFileSync(main, 'source more.rules\n');
    utimesSync(main, old, old);
    const second = collector(1);
    watcher = new RuleFilesWatcher([main], Date.now(), second.changed, (m) => expect.fail(m));
    await watcher.ready();
    const since2 = Date.now();
    writeFileSync(more, '[NOTES]\n');
    watcher.set([main, more], since2);
    expect(await second.got).toEqual([more]);
  }, 60_000);

  it('asks nothing for files unchanged since their rules were read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-rule-watch-'));
    const main = join(dir, 'main.rules');
    const more = join(dir, 'more.rules');
    const old = new Date(Date.now() - 60_000);
    for (const file of [main, more]) {
      writeFileSync(file, '\n');
      utimesSync(file, old, old);
    }
    const calls: string[] = [];
    watcher = new RuleFilesWatcher([main], Date.now(), (file) => calls.push(file), (m) => expect.fail(m));
    await watcher.ready();
    await watcher.set([main, more], Date.now());
    // A reload asked for would come QUIET_MS (250 ms) later; a busy machine can only delay it
    // past this wait, never make one appear.
    await sleep(1_000);
    expect(calls).toEqual([]);
    writeFileSync(more, '[X]\n');
    await until(() => calls.length > 0);
    expect(calls).toEqual([more]);
  }, 60_000);

  it('asks for a reload at once for a file removed before it could be watched, and nothing once closed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rulec-rule-watch-'));
    const gone = join(dir, 'gone.rules');
    const { changed, got } = collector(1);
    // chokidar never lists a missing file: the catch-up must not wait its 30 s for it.
    watcher = new RuleFilesWatcher([gone], Date.now(), changed, (m) => expect.fail(m));
    await watcher.ready();
    expect(await got).toEqual([gone]);
    await watcher.close();

    const calls: string[] = [];
    const main = join(dir, 'main.rules');
    const late = join(dir, 'late.rules');
    const old = new Date(Date.now() - 60_000);
    writeFileSync(main, '\n');
    utimesSync(main, old, old);
    watcher = new RuleFilesWatcher([main], Date.now(), (file) => calls.push(file), (m) => expect.fail(m));
    await watcher.ready();
    writeFileSync(late, '\n');
    const caughtUp = watcher.set([main, late], Date.now() - 1_000);
    await watcher.close();
    await caughtUp;
    // A reload asked for would come 250 ms later: a busy machine can only delay it past this wait.
    await sleep(1_000);
    expect(calls).toEqual([]);
  }, 60_000);
});

async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 20_000; !condition() && Date.now() < deadline;) await sleep(20);
}
