import { describe, expect, it } from 'vitest';
import { checkFiles } from './check-helper.js';

/** About 5,000 lines: logNOT items of ten lines each, with a few MailLog blocks among them. */
function generated(): string {
  const lines: string[] = ['[general]', 'athread_count = 4', 'rotate_wait = 5s', ''];
  for (let i = 0; lines.length < 5000; i++) {
    if (i % 50 === 0) {
      lines.push(`watch <<__W${i}`, `    logfile /var/log/app${i}.log`, `    ignore =~ /heartbeat ${i}/`, '    do ignore', '        =~ /sshd/', `        !~ /user${i}/`, '    end', `__W${i}`, '');
      continue;
    }
    lines.push(
      `[ITEM_${i}]`,
      `path = /var/log/service${i % 20}.log`,
      `regex = ^\\w+ \\d+ [\\d:]+ host${i} sshd\\[\\d+\\]: Failed password for (?:invalid user )?(\\S+) from (\\S+) port \\d+`,
      'usecrc = true',
      `upbound_freq = ${(i % 9) + 1}/60`,
      `upbound_action = /usr/local/sbin/block "$2" --user "$1" --item ITEM_${i}`,
      'downbound_freq = 1/3600',
      'downbound_action = /usr/local/bin/alarm quiet',
      `max_keys = ${1000 + i}`,
      '',
    );
  }
  return lines.join('\n');
}

// How long it takes is measured by bench/compiler-check.ts, not here.
describe('a large rule file', () => {
  it('loads, parses and checks 5,000 lines of items and blocks without a diagnostic', () => {
    const text = generated();
    expect(text.split('\n').length).toBeGreaterThanOrEqual(5000);
    const c = checkFiles({ 'big.rules': text }, 'big.rules');
    expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(c.model.items.length).toBeGreaterThan(450);
  });
});
