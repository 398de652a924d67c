import { describe, expect, it } from 'vitest';
import { checkText } from './check-helper.js';

const FILE = [
  'set to ops@example.com', // 1
  'set smpt mail.example.com', // 2: unknown setting
  '', // 3
  '[SSH_AUTH]', // 4
  'path = /var/log/auth.log', // 5
  'regex = Failed password for (\\S+) from (\\S+)', // 6
  'usecrc = ture', // 7: not a boolean
  'upbound_freq = 3/6O', // 8: bad window
  'upbound_action = /root/block_source "$3"', // 9: no third group
  '', // 10
  'monitor <<__EOM', // 11
  '    dir /etc', // 12
  '    mime_flie "monitor.txt"', // 13: unknown directive
  '__EOM', // 14
  '',
].join('\n');

describe('a file with five different mistakes', () => {
  it('reports all five in one run, each at its line and column', () => {
    const c = checkText(FILE);
    expect(c.diagnostics.map((d) => `${c.where(d)} ${d.code} ${d.severity} ${c.text(d)}`)).toEqual([
      'main.rules:2:5 R319 error smpt',
      'main.rules:7:10 R305 error ture',
      'main.rules:8:18 R303 error 6O',
      'main.rules:9:38 R310 error $3',
      'main.rules:13:5 R316 error mime_flie',
    ]);
    // Every message is one line with no trailing period.
    for (const d of c.diagnostics) expect(d.message).toMatch(/^[^\n]*[^.\n]$/);
    expect(c.diagnostics.find((d) => d.code === 'R319')?.notes).toEqual(['did you mean `smtp`?']);
    expect(c.diagnostics.find((d) => d.code === 'R316')?.notes).toEqual(['did you mean `mime_file`?']);
  });

  it('still reports the other keys of an item whose regex is broken', () => {
    const c = checkText(FILE.replace('from (\\S+)', 'from (\\S+)(?>x)').replace('usecrc = ture', 'usecrc = maybe\nkey = 2'));
    expect(c.diagnostics.map((d) => `${c.where(d)} ${d.code} ${c.text(d)}`)).toEqual([
      'main.rules:2:5 R319 smpt',
      'main.rules:6:45 R308 (?>',
      'main.rules:7:10 R305 maybe',
      'main.rules:8:7 R321 2',
      'main.rules:9:18 R303 6O',
      'main.rules:14:5 R316 mime_flie',
    ]);
  });
});
