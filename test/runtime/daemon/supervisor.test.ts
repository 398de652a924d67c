import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRunner } from '../../../runtime/actions/action-runner.js';
import { LiveClock } from '../../../runtime/clock/clock.js';
import { Supervisor } from '../../../runtime/daemon/supervisor.js';
import { Logger } from '../../../runtime/log/logger.js';
import { descriptorsOn } from '../../helpers/proc.js';
import { cap, item, markerAction, ruleModule, tempDir, waitFor, type TempDir } from './helpers.js';

let dir: TempDir;
let supervisor: Supervisor | null = null;
afterEach(async () => {
  await supervisor?.stop();
  supervisor = null;
  dir?.remove();
});

function start(logged: string[], verbose = false): { supervisor: Supervisor; actions: ActionRunner } {
  const log = new Logger({ level: verbose ? 'debug' : 'info', stdout: { write: (t: string) => logged.push(t) } });
  const actions = new ActionRunner(log);
  supervisor = new Supervisor({ clock: new LiveClock(), actions, log, verbose });
  return { supervisor, actions };
}

describe('Supervisor', () => {
  it('follows a file from its end and runs a real action per match', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, 'ERROR before-start\n');
    const records = dir.file('records');
    const errors = item('ERRORS', logFile, /ERROR (\w+)/, { upboundAction: markerAction(records, [cap(1)]) });
    const { supervisor: s, actions } = start([]);
    await s.start([ruleModule([errors])]);

    appendFileSync(logFile, 'ERROR one\nINFO nothing\nERROR two\n');
    expect(await waitFor(() => dir.records('records').length === 2)).toBe(true);
    expect(await actions.drain(5_000)).toBe(true);
    // Two action threads: the order in which the children finish is not fixed.
    expect(dir.records('records').map((r) => r[0]).sort()).toEqual(['one', 'two']);
    expect(s.stats().linesRead).toBe(3);
    expect(s.stats().items[0]).toMatchObject({ name: 'ERRORS', matched: 2, upboundFires: 2 });
  });

  it('feeds one reader per path to items of several modules, and reload keeps the position', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, '');
    const records = dir.file('records');
    const a = item('A', logFile, /ERROR (\w+)/, { upboundAction: markerAction(records, [cap(1)]) });
    const b = item('B', logFile, /(\w+) failed/, { upboundAction: markerAction(records, [cap(1)]) });
    const logged: string[] = [];
    const { supervisor: s, actions } = start(logged);
    await s.start([ruleModule([a]), ruleModule([b])]);

    appendFileSync(logFile, 'ERROR disk\nbackup failed\n');
    expect(await waitFor(() => dir.records('records').length === 2)).toBe(true);

    const c = item('C', logFile, /WARN (\w+)/, { upboundAction: markerAction(records, [cap(1)]) });
    await s.replace([ruleModule([c])]);
    appendFileSync(logFile, 'ERROR ignored-now\nWARN fan\n');
    expect(await waitFor(() => dir.records('records').length === 3)).toBe(true);
    expect(await actions.drain(5_000)).toBe(true);
    const words = dir.records('records').map((r) => r[0]).sort();
    // Lines before the reload were not read again (no second `disk`), and the new rule sees new lines.
    expect(words).toEqual(['backup', 'disk', 'fan']);
    expect(s.stats().linesRead).toBe(4);
    expect(logged.filter((l) => l.includes('following')).length).toBe(1);
  });

  it('a reload does not report again a size multiple the file had already passed', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, 'x'.repeat(250));
    const reached = dir.file('reached.txt');
    const sized = (): ReturnType<typeof item> =>
      item('BIG', logFile, /never/, { size: 100, sizeAction: { shell: true, command: `echo "$RULEC_THRESHOLD" >> '${reached}'`, source: 'x' } });
    const lines = (): string => (existsSync(reached) ? readFileSync(reached, 'utf8') : '');
    const { supervisor: s, actions } = start([]);
    await s.start([ruleModule([sized()])]);
    expect(await waitFor(() => lines() !== '')).toBe(true);
    await s.replace([ruleModule([sized()])]);
    appendFileSync(logFile, 'y'.repeat(10));
    await new Promise((r) => setTimeout(r, 400));
    appendFileSync(logFile, 'z'.repeat(50));
    expect(await waitFor(() => (lines().match(/\n/g) ?? []).length >= 2)).toBe(true);
    expect(await actions.drain(5_000)).toBe(true);
    // 200 when watching began at 250 bytes; after the reload only the next multiple, 300.
    expect(lines()).toBe('200\n300\n');
  });

  it('a reload that raises line_max reads on with the new cut, from where the old reader stopped', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, '');
    const records = dir.file('records');
    const whole = (lineMax: number): ReturnType<typeof item> =>
      item('LONG', logFile, /^(L.*)$/, { lineMax, upboundAction: markerAction(records, [cap(1)]) });
    const logged: string[] = [];
    const { supervisor: s, actions } = start(logged);
    await s.start([ruleModule([whole(20)])]);
    const long = (n: number): string => `L${n}${'x'.repeat(98)}`;
    appendFileSync(logFile, `${long(1)}\n`);
    expect(await waitFor(() => dir.records('records').length === 1)).toBe(true);
    await s.replace([ruleModule([whole(1000)])]);
    appendFileSync(logFile, `${long(2)}\n`);
    expect(await waitFor(() => dir.records('records').length === 2)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await actions.drain(5_000)).toBe(true);
    expect(dir.records('records').map((r) => r[0])).toEqual([long(1).slice(0, 20), long(2)]);
    expect(logged.some((l) => l.includes(`reading ${logFile} again with line_max 1000`))).toBe(true);
  });

  it('stops the reader of a path the new rule set no longer reads', async () => {
    dir = tempDir();
    const first = dir.file('one.log');
    const second = dir.file('two.log');
    writeFileSync(first, '');
    writeFileSync(second, '');
    const records = dir.file('records');
    const logged: string[] = [];
    const { supervisor: s, actions } = start(logged);
    await s.start([ruleModule([item('ONE', first, /(x\d)/, { upboundAction: markerAction(records, [cap(1)]) })])]);
    expect(descriptorsOn(process.pid, first)).toBe(1);
    await s.replace([ruleModule([item('TWO', second, /(y\d)/, { upboundAction: markerAction(records, [cap(1)]) })])]);
    appendFileSync(first, 'x1\n');
    appendFileSync(second, 'y1\n');
    expect(await waitFor(() => dir.records('records').length === 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await actions.drain(5_000)).toBe(true);
    expect(dir.records('records')).toEqual([['y1']]);
    expect(logged.some((l) => l.includes(`stopped following ${first}`))).toBe(true);
    expect(descriptorsOn(process.pid, first)).toBe(0);
    expect(descriptorsOn(process.pid, second)).toBe(1);
  });

  it('reads a path again in the new way when a reload changes its file_type', async () => {
    dir = tempDir();
    const pipe = dir.file('p.fifo');
    execFileSync('mkfifo', [pipe]);
    const records = dir.file('records');
    const logged: string[] = [];
    const { supervisor: s, actions } = start(logged);
    const fifoItem = (fileType: 'file' | 'fifo') => item('F', pipe, /F (\S+)/, { fileType, upboundAction: markerAction(records, [cap(1)]) });
    await s.start([ruleModule([fifoItem('file')])]);
    expect(await waitFor(() => logged.some((l) => l.includes('not a regular file')))).toBe(true);
    await s.replace([ruleModule([fifoItem('fifo')])]);
    expect(logged.some((l) => l.includes(`reading ${pipe} again as a FIFO`))).toBe(true);
    // A writer's open of the FIFO waits for the new reader.
    const writer = spawn('sh', ['-c', `echo 'F one' > '${pipe}'`], { stdio: 'ignore' });
    expect(await waitFor(() => dir.records('records').length === 1)).toBe(true);
    expect(dir.records('records')).toEqual([['one']]);
    expect(await actions.drain(5_000)).toBe(true);
    if (writer.exitCode === null) writer.kill();
  });

  it('a reload to file_type = fifo and back resumes the file where it was, reading no line twice', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, 'F one\n');
    const records = dir.file('records');
    const logged: string[] = [];
    const { supervisor: s, actions } = start(logged);
    const typed = (fileType: 'file' | 'fifo') => item('F', logFile, /F (\S+)/, { fileType, start: 'beginning', upboundAction: markerAction(records, [cap(1)]) });
    const moduleOf = (fileType: 'file' | 'fifo') => {
      const module = ruleModule([typed(fileType)]);
      return { ...module, sources: module.sources.map((source) => ({ ...source, start: 'beginning' as const })) };
    };
    await s.start([moduleOf('file')]);
    expect(await waitFor(() => dir.records('records').length === 1)).toBe(true);
    await s.replace([moduleOf('fifo')]);
    await s.replace([moduleOf('file')]);
    appendFileSync(logFile, 'F two\n');
    expect(await waitFor(() => dir.records('records').length === 2)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await actions.drain(5_000)).toBe(true);
    expect(dir.records('records')).toEqual([['one'], ['two']]);
  });

  it('logs every match, escaped, when verbose', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, '');
    const logged: string[] = [];
    const { supervisor: s } = start(logged, true);
    await s.start([ruleModule([item('V', logFile, /ERROR (\S+)/, { upboundAction: markerAction(dir.file('records'), [cap(1)]) })])]);
    appendFileSync(logFile, 'ERROR \x1b[31mred\nINFO quiet\n');
    expect(await waitFor(() => logged.some((l) => l.includes('matched:')))).toBe(true);
    const matches = logged.filter((l) => l.includes('matched:'));
    expect(matches).toHaveLength(1);
    expect(matches[0]).toContain('debug [V] matched: ERROR \\x1b[31mred');
  });

  it('logs, when verbose, what the engine matched: the line cut at line_max, no line for an item without a regex', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, '');
    const logged: string[] = [];
    const { supervisor: s } = start(logged, true);
    const action = markerAction(dir.file('records'), []);
    await s.start([ruleModule([
      item('CUT', logFile, /fail/, { lineMax: 10, upboundAction: action }),
      item('ALL', logFile, /^/, { everyLine: true, size: 1 << 20, sizeAction: action }),
    ])]);
    // "fail" lies past the 10th byte of the first line: the engine never sees it there.
    appendFileSync(logFile, '012345678 fail\nfail early\n');
    expect(await waitFor(() => logged.some((l) => l.includes('matched:')))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(logged.filter((l) => l.includes('matched:')).map((l) => l.replace(/^.*debug /, '').trimEnd())).toEqual(['[CUT] matched: fail early']);
  });
});
