import { describe, expect, it } from 'vitest';
import { parseDaemonArgs } from '../../../runtime/daemon/args.js';

describe('parseDaemonArgs', () => {
  it('reads every logNOT flag, short and long', () => {
    const { value, errors } = parseDaemonArgs([
      '-c', 'a.rules', '-d', '-p', '/run/r.pid', '-u', 'nobody', '-g', '65534', '-l', 'r.log', '-s', '-w', '/tmp', '-v',
    ]);
    expect(errors).toEqual([]);
    expect(value).toMatchObject({
      config: 'a.rules', daemon: true, pidFile: '/run/r.pid', uid: 'nobody', gid: '65534', logFile: 'r.log',
      stdout: true, chdir: '/tmp', verbose: true, version: false, test: null,
    });
    const long = parseDaemonArgs(['--config=b.rules', '--pid', 'x.pid', '--logfile=y.log', '--test', 't.rules', '--version']);
    expect(long.errors).toEqual([]);
    expect(long.value).toMatchObject({ config: 'b.rules', pidFile: 'x.pid', logFile: 'y.log', test: 't.rules', version: true });
  });

  it('reads logNOT\'s -T REGEX (--retest), a pattern whatever it looks like', () => {
    expect(parseDaemonArgs(['-T', '-(\\d+)']).value).toMatchObject({ retest: '-(\\d+)', config: null });
    expect(parseDaemonArgs(['--retest=x y']).value.retest).toBe('x y');
    expect(parseDaemonArgs(['-T']).errors).toEqual(['option -T needs a value']);
  });

  it('takes the positional file as -c, and accepts both when they agree', () => {
    expect(parseDaemonArgs(['x.rules']).value.config).toBe('x.rules');
    expect(parseDaemonArgs(['-c', 'x.rules', 'x.rules']).errors).toEqual([]);
    expect(parseDaemonArgs(['-c', './x.rules', 'x.rules']).errors).toEqual([]);
    expect(parseDaemonArgs(['-c', 'x.rules', 'y.rules']).errors).toHaveLength(1);
  });

  it('reports unknown options, missing values, extra files and -d without a log file', () => {
    expect(parseDaemonArgs(['-x', 'a.rules']).errors).toEqual(['unknown option -x']);
    expect(parseDaemonArgs(['a.rules', '-p']).errors).toEqual(['option -p needs a value']);
    expect(parseDaemonArgs(['a.rules', 'b.rules']).errors).toEqual(['expected one rule file, got 2']);
    expect(parseDaemonArgs(['-d', 'a.rules']).errors[0]).toMatch(/-d needs -l/);
  });
});
