import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { REPO, runCli, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

const CORPUS = join(REPO, '../shared/corpus/elastic/auth.log');
const RULES = join(REPO, 'rules/ssh-brute-force.rules');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The corpus lines and, computed here with plain JS regexes, what the shipped rule should find. */
function expected(): { lines: number; failed: number[]; fails: { line: number; ip: string; time: number }[]; keys: number; heldOff: number } {
  const lines = readFileSync(CORPUS, 'utf8').split('\n');
  const pattern = / sshd\[\d+\]: Failed password for (?:invalid user )?\S* from (\S+) port \d+ ssh2$/;
  const failed: number[] = [];
  const windows = new Map<string, number[]>();
  const fails: { line: number; ip: string; time: number }[] = [];
  const heldUntil = new Map<string, number>();
  let heldOff = 0;
  // The year that places a year-less stamp at or before the log's last write, in the host's zone (the rule sets no zone).
  const now = statSync(CORPUS).mtime;
  lines.forEach((line, i) => {
    const m = pattern.exec(line);
    if (m === null) return;
    failed.push(i + 1);
    const [mon, day, clock] = line.split(/ +/);
    const [h, mi, s] = clock!.split(':').map(Number);
    let time = new Date(now.getFullYear(), MONTHS.indexOf(mon!), Number(day), h, mi, s).getTime();
    if (time > now.getTime()) time = new Date(now.getFullYear() - 1, MONTHS.indexOf(mon!), Number(day), h, mi, s).getTime();
    // 5/60 per source address: the 6th match within 60 s fires; the address's matches of the
    // next 60 s (the default hold-off, the window) are held off; then it counts afresh.
    if (time < (heldUntil.get(m[1]!) ?? -Infinity)) {
      heldOff++;
      return;
    }
    const recent = (windows.get(m[1]!) ?? []).filter((t) => t > time - 60_000);
    recent.push(time);
    if (recent.length > 5) {
      fails.push({ line: i + 1, ip: m[1]!, time });
      windows.set(m[1]!, []);
      heldUntil.set(m[1]!, time + 60_000);
    } else windows.set(m[1]!, recent);
  });
  // The file ends with a newline: no line after it.
  return { lines: lines.length - 1, failed, fails, keys: new Set(failed.map((n) => pattern.exec(lines[n - 1]!)![1])).size, heldOff };
}

interface Event {
  type: string;
  item: string;
  line: number;
  key: string | null;
  time?: string | null;
  argv?: string[];
  captures?: (string | null)[];
}

/** Runs `body` in a fresh temporary directory, removed afterwards. */
async function inTempDir(prefix: string, body: (dir: string) => Promise<void>): Promise<void> {
  const { dir, remove } = tempDir(prefix);
  try {
    await body(dir);
  } finally {
    remove();
  }
}

describe('rulec test', () => {
  it('reports in JSON every match and every fire of the shipped ssh rule on a real auth log, in log time', async () => {
    const want = expected();
    expect(want.failed.length).toBeGreaterThan(500);
    expect(want.fails.length).toBeGreaterThan(10);
    const result = await runCli(['test', RULES, '--log', CORPUS, '--replay', '--format', 'json'], { cwd: REPO, timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event);
    const matches = events.filter((e) => e.type === 'match' && e.item === 'SSH_FAILED_PASSWORD');
    expect(matches.map((m) => m.line)).toEqual(want.failed);
    expect(matches[0]?.captures?.length).toBe(3);
    const fires = events.filter((e) => e.type === 'fire' && e.item === 'SSH_FAILED_PASSWORD');
    expect(fires.map((f) => [f.line, f.key, f.time])).toEqual(want.fails.map((f) => [f.line, f.ip, new Date(f.time).toISOString()]));
    expect(fires[0]?.argv).toEqual(['/usr/bin/logger', '-t', 'rulec-ssh-brute-force', 'failed passwords from', want.fails[0]!.ip]);
    const summary = events.find((e) => e.type === 'item' && e.item === 'SSH_FAILED_PASSWORD') as unknown as { matched: number; keys: number; upbound: number; heldOff: number };
    expect(want.heldOff).toBeGreaterThan(100);
    expect(summary).toMatchObject({ matched: want.failed.length, keys: want.keys, upbound: want.fails.length, heldOff: want.heldOff });
  });

  it('prints per item counts and each fire as text, reading the log from standard input', async () => {
    const want = expected();
    const result = await runHere(['test', RULES], { cwd: REPO, input: readFileSync(CORPUS, 'utf8') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`SSH_FAILED_PASSWORD: ${want.failed.length} line(s) matched, ${want.lines - want.failed.length} missed, ${want.keys} distinct key(s), ${want.fails.length} fire(s) (upbound ${want.fails.length}); ${want.heldOff} match(es) held off after a fire (upbound_holdoff)\n`);
    // Without --replay every line arrives at once: windows see no time pass, times are not shown.
    expect(result.stdout).toMatch(/^fire SSH_FAILED_PASSWORD upbound line \d+ key \S+: \["\/usr\/bin\/logger"/m);
    expect(result.stdout).not.toMatch(/^fire .* at \d{4}-/m);
  });

  it('needs no temporary directory to load the compiled rules (TMPDIR names none)', async () => {
    const log = 'Mar  1 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2\n';
    const result = await runHere(['test', RULES], { cwd: REPO, input: log, env: { TMPDIR: join(REPO, 'no-such-tmp-dir') } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SSH_FAILED_PASSWORD: 1 line(s) matched, 0 missed, 1 distinct key(s)');
  });

  it('--missed lists the lines no item matched', async () => {
    const log = 'Mar  1 10:00:00 h sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2\nsomething else\n';
    const result = await runHere(['test', RULES, '--missed'], { cwd: REPO, input: log });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('missed line 2: something else\n');
    expect(result.stdout).not.toContain('missed line 1');
  });

  it('fails with the diagnostics of a rule file that has errors, reading no log', async () => {
    await inTempDir('rulec-test-cmd-', async (dir) => {
      writeFileSync(join(dir, 'bad.rules'), '[A]\npath = /x\nregex = Failed\nupbund_freq = 5/60\nupbound_action = /bin/true\n');
      const result = await runHere(['test', 'bad.rules'], { cwd: dir, input: 'Failed\n' });
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr).toContain('bad.rules:4:1: error[R301]: unknown key `upbund_freq`');
      expect(result.stderr).toContain('1 error, 0 warnings');
    });
  });

  it('--replay reports a silence at each check time, from the times of lines no rule matches, up to the end of the log', async () => {
    await inTempDir('rulec-test-silence-', async (dir) => {
      writeFileSync(join(dir, 'hb.rules'), '[HEARTBEAT]\npath = /var/log/x.log\nregex = heartbeat ok\ndownbound_freq = 1/60\ndownbound_action = /usr/bin/logger "heartbeat lost"\nupbound_action = /bin/true\n');
      const stamp = (hms: string, text: string): string => `2025-01-01T${hms}Z ${text}\n`;
      const log = stamp('00:00:00', 'cron: heartbeat ok') + stamp('00:00:50', 'cron: heartbeat ok')
        + stamp('00:01:55', 'sshd: unrelated') + stamp('00:02:55', 'sshd: unrelated') + stamp('00:03:50', 'sshd: unrelated');
      writeFileSync(join(dir, 'hb.log'), log);
      const result = await runHere(['test', 'hb.rules', '--log', 'hb.log', '--replay', '--format', 'json'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      const lost = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event).filter((e) => e.type === 'fire' && (e as { kind?: string }).kind === 'downbound');
      // The last heartbeat at 00:00:50, then a check every 60 s; the one at 00:03:50 is the log's last moment.
      expect(lost.map((e) => [e.line, e.time])).toEqual([
        [3, '2025-01-01T00:01:50.000Z'],
        [4, '2025-01-01T00:02:50.000Z'],
        [5, '2025-01-01T00:03:50.000Z'],
      ]);
    });
  });

  it('--replay places a year-less log before its last write, and says how many matches had no readable time', async () => {
    await inTempDir('rulec-test-year-', async (dir) => {
      writeFileSync(join(dir, 'bf.rules'), '[BF]\npath = /var/log/x.log\nregex = fail from (\\S+)\nupbound_freq = 1/60\nupbound_action = /bin/true "$1"\ntime_zone = UTC\n');
      // Written in late November 2025, read any day: its stamps are from 2025, even those after today's date.
      const log = ['Nov 20 10:00:00 h fail from a', 'Nov 30 23:59:40 h fail from a', 'continued: fail from a', 'Dec  1 00:00:20 h fail from a'].join('\n') + '\n';
      writeFileSync(join(dir, 'bf.log'), log);
      utimesSync(join(dir, 'bf.log'), new Date('2025-12-01T00:01:00Z'), new Date('2025-12-01T00:01:00Z'));
      const json = await runHere(['test', 'bf.rules', '--log', 'bf.log', '--replay', '--format', 'json'], { cwd: dir });
      expect(json.code, json.stderr).toBe(0);
      const fires = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event).filter((e) => e.type === 'fire');
      // The untimed line counts at the last stamp (23:59:40), so 1/60 fires on it, then the key starts afresh.
      expect(fires.map((e) => [e.line, e.time])).toEqual([[3, '2025-11-30T23:59:40.000Z']]);
      const text = await runHere(['test', 'bf.rules', '--replay'], { cwd: dir, input: log });
      expect(text.stdout).toContain('BF: 4 line(s) matched, 0 missed, 1 distinct key(s), 1 fire(s) (upbound 1); 1 match(es) held off after a fire (upbound_holdoff); 1 matched line(s) without a readable time');
    });
  });

  it('prints a fire\'s argv as JSON a terminal cannot act on, each backslash once', async () => {
    await inTempDir('rulec-test-escape-', async (dir) => {
      writeFileSync(join(dir, 'esc.rules'), '[ESC]\npath = /x\nregex = user (\\S+) from\nupbound_action = /bin/echo "$1"\n');
      writeFileSync(join(dir, 'esc.log'), 'user \x1b[31mRED\x1b[0m\u009bx\u202ey\\z from 1.2.3.4\n');
      const result = await runHere(['test', 'esc.rules', '--log', 'esc.log'], { cwd: dir });
      const fire = result.stdout.split('\n').find((l) => l.startsWith('fire '))!;
      expect(fire).toBe('fire ESC upbound line 1: ["/bin/echo","\\u001b[31mRED\\u001b[0m\\u009bx\\u202ey\\\\z"]');
      expect(JSON.parse(fire.slice(fire.indexOf('['))) as string[]).toEqual(['/bin/echo', '\x1b[31mRED\x1b[0m\u009bx\u202ey\\z']);
      // JSON lines too: one object per line even for readers that split on U+2028.
      writeFileSync(join(dir, 'sep.log'), 'user a\u2028b from 1.2.3.4\n');
      const json = await runHere(['test', 'esc.rules', '--log', 'sep.log', '--format', 'json'], { cwd: dir });
      expect(json.stdout).not.toContain('\u2028');
      expect(json.stdout.split(/\r?\n|\u2028/).filter((l) => l !== '').map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['match', 'fire', 'item', 'summary']);
    });
  });

  it('says so when a rule file has no items to test (MailLog blocks only)', async () => {
    await inTempDir('rulec-test-noitems-', async (dir) => {
      writeFileSync(join(dir, 'w.rules'), 'watch <<__END\n    logfile "/var/log/messages"\n    ignore =~ /MARK/\n__END\n');
      writeFileSync(join(dir, 'x.log'), 'hello\n');
      const result = await runHere(['test', 'w.rules', '--log', 'x.log'], { cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('w.rules: no items to test (rulec report runs MailLog blocks; --alerts FILE replays alerts to snort blocks)\n');
      expect(result.stdout).toContain('w.rules over x.log: 1 line(s), 0 matched by some item, 1 missed\n');
    });
  });

  it('--missed still lists the lines no rule is about when items without a regex watch the size and the flow', async () => {
    await inTempDir('rulec-test-missed-', async (dir) => {
      writeFileSync(join(dir, 'r.rules'), [
        '[FAIL]\npath = /var/log/x.log\nregex = fail\nupbound_action = /bin/true\n',
        '[SZ]\npath = /var/log/x.log\nsize = 1K\nsize_action = /bin/true\n',
        '[FLOOD]\npath = /var/log/x.log\nupbound_freq = 2/10\nupbound_action = /bin/echo "$0"\n',
      ].join('\n'));
      writeFileSync(join(dir, 'x.log'), 'hello\nlogin fail\nworld\n');
      const text = await runHere(['test', 'r.rules', '--log', 'x.log', '--missed'], { cwd: dir });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('x.log: 3 line(s), 1 matched by some item, 2 missed\n');
      expect(text.stdout).toContain('SZ: no regex (counts every line: 3), 0 fire(s)\n');
      // More than 2 lines within 10 s: the third line fires the flood alarm.
      expect(text.stdout).toContain('fire FLOOD upbound line 3: ["/bin/echo","world"]\n');
      expect(text.stdout).toContain('FLOOD: no regex (counts every line: 3), 1 fire(s) (upbound 1)\n');
      expect(text.stdout).toContain('missed line 1: hello\n');
      expect(text.stdout).toContain('missed line 3: world\n');
      const json = await runHere(['test', 'r.rules', '--log', 'x.log', '--format', 'json'], { cwd: dir });
      const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event & { matched?: number | null; counted?: number });
      expect(events.filter((e) => e.type === 'match').map((e) => [e.item, e.line])).toEqual([['FAIL', 2]]);
      expect(events.filter((e) => e.type === 'item').map((e) => [e.item, e.matched, e.counted])).toEqual([
        ['FAIL', 1, undefined],
        ['SZ', null, 3],
        ['FLOOD', null, 3],
      ]);
    });
  });

  it('shows what a shell = true action would get in its environment, the captures included', async () => {
    await inTempDir('rulec-test-shell-', async (dir) => {
      writeFileSync(join(dir, 'r.rules'), '[S]\npath = /var/log/x.log\nregex = fail from (\\S+)\nshell = true\nupbound_action = /usr/bin/logger "$RULEC_1"\n');
      writeFileSync(join(dir, 'x.log'), 'fail from $(reboot)\n');
      const text = await runHere(['test', 'r.rules', '--log', 'x.log'], { cwd: dir });
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(
        'fire S upbound line 1: ["/bin/sh","-c","/usr/bin/logger \\"$RULEC_1\\""] env {"RULEC_ITEM":"S","RULEC_0":"fail from $(reboot)","RULEC_1":"$(reboot)","RULEC_LINE":"fail from $(reboot)"}\n',
      );
      const json = await runHere(['test', 'r.rules', '--log', 'x.log', '--format', 'json'], { cwd: dir });
      const fire = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event & { env?: Record<string, string> }).find((e) => e.type === 'fire');
      expect(fire?.env).toEqual({ RULEC_ITEM: 'S', RULEC_0: 'fail from $(reboot)', RULEC_1: '$(reboot)', RULEC_LINE: 'fail from $(reboot)' });
    });
  });

  it('names the rule file in every JSON object, so several files tested at once stay apart', async () => {
    await inTempDir('rulec-test-files-', async (dir) => {
      writeFileSync(join(dir, 'a.rules'), '[A]\npath = /var/log/x.log\nregex = fail from (\\S+)\nupbound_action = /bin/true "$1"\n');
      writeFileSync(join(dir, 'b.rules'), '[A]\npath = /var/log/x.log\nregex = from (\\S+)\nupbound_action = /bin/true "$1"\n');
      writeFileSync(join(dir, 'x.log'), 'fail from 1.2.3.4\nnothing\n');
      const json = await runHere(['test', 'a.rules', 'b.rules', '--log', 'x.log', '--format', 'json', '--missed'], { cwd: dir });
      expect(json.code, json.stderr).toBe(0);
      const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event & { file: string });
      expect(events.map((e) => [e.file, e.type, e.item ?? null])).toEqual([
        ['a.rules', 'match', 'A'],
        ['a.rules', 'fire', 'A'],
        ['a.rules', 'missed', null],
        ['a.rules', 'item', 'A'],
        ['a.rules', 'summary', null],
        ['b.rules', 'match', 'A'],
        ['b.rules', 'fire', 'A'],
        ['b.rules', 'missed', null],
        ['b.rules', 'item', 'A'],
        ['b.rules', 'summary', null],
      ]);
    });
  });

  it('cuts a line padded with invalid UTF-8 at line_max of its bytes, not a third of it', async () => {
    await inTempDir('rulec-test-invalid-', async (dir) => {
      writeFileSync(join(dir, 'r.rules'), '[U]\npath = /var/log/x.log\nregex = fail from (\\S+)\nupbound_action = /bin/true "$1"\n');
      // 30,026 bytes, under the default 64 KiB: the match at the end is inside the line.
      writeFileSync(join(dir, 'x.log'), Buffer.concat([Buffer.alloc(30_000, 0xff), Buffer.from(' fail from 1.1.1.1 user x\n')]));
      const result = await runHere(['test', 'r.rules', '--log', 'x.log'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('U: 1 line(s) matched, 0 missed, 1 distinct key(s), 1 fire(s) (upbound 1)\n');
    });
  });

  it('cuts a line at the bytes the daemon\'s reader keeps, also where a U+FFFD is written in the log', async () => {
    await inTempDir('rulec-test-fffd-', async (dir) => {
      writeFileSync(join(dir, 'r.rules'), '[U]\npath = /var/log/x.log\nline_max = 20\nregex = fail\nupbound_action = /bin/true\n');
      // Six U+FFFD as the log holds them, three bytes each: 18 bytes, then "fail" past the 20th.
      writeFileSync(join(dir, 'x.log'), `${'\ufffd'.repeat(6)}fail\n${'\ufffd'.repeat(4)}fail\n`);
      const result = await runHere(['test', 'r.rules', '--log', 'x.log', '--format', 'json'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event);
      expect(events.filter((e) => e.type === 'match').map((e) => e.line)).toEqual([2]);
    });
  });

  it('counts size thresholds in the log\'s bytes, as the daemon does, not in its decoded text', async () => {
    await inTempDir('rulec-test-size-', async (dir) => {
      writeFileSync(join(dir, 'sz.rules'), '[SZ]\npath = /var/log/x.log\nsize = 1K\nsize_action = /bin/true\n');
      // 1,100 bytes on disk, 1,000 after the \r are gone; 600 bytes that decode to 1,400.
      writeFileSync(join(dir, 'crlf.log'), '123456789\r\n'.repeat(100));
      writeFileSync(join(dir, 'bad.log'), Buffer.from('\xff\xff\xff\xff1\n'.repeat(100), 'latin1'));
      const fires = async (log: string): Promise<number> => {
        const result = await runHere(['test', 'sz.rules', '--log', log, '--format', 'json'], { cwd: dir });
        expect(result.code, result.stderr).toBe(0);
        return result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string }).filter((e) => e.type === 'fire').length;
      };
      expect(await fires('crlf.log')).toBe(1);
      expect(await fires('bad.log')).toBe(0);
    });
  });

  it('exits 2 naming a rule file it cannot read', async () => {
    const result = await runHere(['test', 'test/cli/no-such.rules'], { cwd: REPO, input: '' });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'rulec test: cannot read test/cli/no-such.rules: ENOENT: no such file or directory\n' });
  });

  describe('in process (what is tested is the command, not the process boundary)', () => {
    /** `rulec ARGS` through the CLI's main, its output collected. */
    async function rulec(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      let stdout = '';
      let stderr = '';
      const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
      return { code, stdout, stderr };
    }

    it('sums the log up as fail2ban-regex does: lines, comment lines skipped, matched and missed per item, time formats, cut lines', async () => {
      await inTempDir('rulec-test-summary-', async (dir) => {
        writeFileSync(join(dir, 'r.rules'), '[FAIL]\npath = /var/log/x.log\nregex = fail from (\\S+)$\nkey = $1\nupbound_action = /bin/true "$1"\n\n[OK]\npath = /var/log/x.log\nregex = ^ok\nupbound_action = /bin/true\n');
        const log = [
          '# a sample log: comment lines are notes, not log lines',
          'Mar  1 10:00:00 h app: fail from 10.0.0.1',
          '2025-03-01T10:00:01Z h app: fail from 10.0.0.2',
          '1740823202 h app: fail from 10.0.0.1',
          '#another note',
          'ok, no time here',
          `Mar  1 10:00:03 h app: fail from 10.0.0.3 ${'x'.repeat(70_000)}`,
          'Mar  1 10:00:04 h app: nothing',
        ].join('\n');
        writeFileSync(join(dir, 'x.log'), log);
        const text = await rulec(['test', join(dir, 'r.rules'), '--log', join(dir, 'x.log'), '--replay']);
        expect(text.stderr).toBe('');
        expect(text.code).toBe(0);
        expect(text.stdout).toContain(`over ${join(dir, 'x.log')}: 8 line(s), 2 comment line(s) skipped, 4 matched by some item, 2 missed, 1 cut at line_max\n`);
        expect(text.stdout).toContain('time formats: syslog 3, ISO 8601 1, epoch 1, none 1\n');
        // Without --replay no line's time is read.
        expect((await rulec(['test', join(dir, 'r.rules'), '--log', join(dir, 'x.log')])).stdout).toContain('time formats: read with --replay\n');
        // The cut line's `fail from 10.0.0.3 xxx…` does not end there: `$` cannot match it.
        expect(text.stdout).toContain('FAIL: 3 line(s) matched, 3 missed, 2 distinct key(s), 3 fire(s) (upbound 3)\n');
        expect(text.stdout).toContain('OK: 1 line(s) matched, 5 missed, 1 distinct key(s), 1 fire(s) (upbound 1); 1 matched line(s) without a readable time\n');
        const json = await rulec(['test', join(dir, 'r.rules'), '--log', join(dir, 'x.log'), '--format', 'json', '--missed', '--replay']);
        const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(events.filter((e) => e.type === 'missed').map((e) => e.line)).toEqual([7, 8]);
        expect(events.filter((e) => e.type === 'match' && e.item === 'FAIL').map((e) => [e.line, e.key])).toEqual([[2, '10.0.0.1'], [3, '10.0.0.2'], [4, '10.0.0.1']]);
        expect(events.find((e) => e.type === 'item' && e.item === 'FAIL')).toMatchObject({ matched: 3, missed: 3, keys: 2, keysExact: true, upbound: 3 });
        expect(events.at(-1)).toEqual({
          type: 'summary', file: join(dir, 'r.rules'), lines: 8, comments: 2, matched: 4, missed: 2, cut: 1,
          times: { syslog: 3, iso8601: 1, epoch: 1, none: 1 },
        });
      });
    });

    it('never lets a line cut at line_max look whole to an end-anchored pattern, and says how many were cut', async () => {
      await inTempDir('rulec-test-cut-', async (dir) => {
        writeFileSync(join(dir, 'r.rules'), '[NESTED]\npath = /var/log/x.log\nregex = ^(a+)+$\nupbound_action = /bin/true\n\n[BANG]\npath = /var/log/x.log\nregex = !\nupbound_action = /bin/true\n');
        // 1 MB of `a`s ending in `!`: the first 64 KiB are all `a`s, which `^(a+)+$` matches.
        writeFileSync(join(dir, 'x.log'), `${'a'.repeat(1_000_000)}!\naaaa\n`);
        const result = await rulec(['test', join(dir, 'r.rules'), '--log', join(dir, 'x.log'), '--format', 'json']);
        expect(result.code, result.stderr).toBe(0);
        const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(events.filter((e) => e.type === 'match').map((e) => [e.item, e.line])).toEqual([['NESTED', 2]]);
        expect(events.at(-1)).toMatchObject({ type: 'summary', lines: 2, matched: 1, missed: 1, cut: 1 });
      });
    });

    it('--replay ends loghub\'s Linux.log (June to February, no years) at or before the file\'s last write', async () => {
      const linux = join(REPO, '../shared/corpus/loghub/full/Linux.log');
      await inTempDir('rulec-test-linux-', async (dir) => {
        // The rule of docs/cli.md, on a real log that crosses New Year: sshd authentication failures per rhost.
        writeFileSync(join(dir, 'r.rules'), '[AUTH]\npath = /var/log/messages\nregex = authentication failure; .* rhost=(\\S+)\nkey = $1\nupbound_freq = 3/60\nupbound_action = /bin/true "$1"\n');
        const result = await rulec(['test', join(dir, 'r.rules'), '--log', linux, '--replay', '--format', 'json']);
        expect(result.code, result.stderr).toBe(0);
        const fires = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Event).filter((e) => e.type === 'fire');
        expect(fires.length).toBeGreaterThan(100);
        const times = fires.map((f) => Date.parse(f.time!));
        const written = statSync(linux).mtimeMs;
        // In order, the last (Feb 28) at or before the last write (a day of slack), the first (June) less than a year before it.
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times.at(-1)!).toBeLessThanOrEqual(written + 86_400_000);
        expect(new Date(times.at(-1)!).getMonth()).toBe(1);
        expect(new Date(times[0]!).getMonth()).toBe(5);
        expect(times.at(-1)! - times[0]!).toBeLessThan(366 * 86_400_000);
      });
    });
  });
});

