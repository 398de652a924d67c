import { describe, expect, it } from 'vitest';
import { compareListings, differenceLine } from '../../../../runtime/sources/monitor/compare.js';
import { parseListing } from '../../../../runtime/sources/monitor/listing.js';

const entries = (text: string) => {
  const { entries: found, problems } = parseListing(text);
  expect(problems).toEqual([]);
  return found;
};

const lines = (prior: string, current: string): string[] =>
  compareListings(entries(prior), entries(current)).differences.map(differenceLine);

describe('listing comparison', () => {
  const prior = [
    'ndTkYSaMgDT1yFZOFVxnpg\tmd5:0644:0:0\t1\t/etc/a',
    'mHkp1hybafDGQGuECqd/2A\tmd5:0755:0:0\t18\t/etc/b',
    'link\tlink:0777:0:0\tb\t/etc/c',
    '1B2M2Y8AsgTpgAmY7PhCfg\tmd5:0644:0:0\t0\t/etc/gone',
    'warn\tcannot read /etc/shadow: EACCES',
  ].join('\n');

  it('finds nothing between a listing and itself', () => {
    expect(lines(prior, prior)).toEqual([]);
  });

  it('reports added, removed and changed files with what changed, in name order', () => {
    const current = [
      '9f24IZ9rya4MDHN0rHin+Q\tmd5:0644:0:0\t2\t/etc/a',
      'mHkp1hybafDGQGuECqd/2A\tmd5:4755:0:100\t18\t/etc/b',
      'link\tlink:0777:0:0\ta\t/etc/c',
      '1B2M2Y8AsgTpgAmY7PhCfg\tmd5:0644:0:0\t0\t/etc/new\\tname',
    ].join('\n');
    expect(lines(prior, current)).toEqual([
      'changed\t/etc/a\tcontent, size 1 -> 2',
      'changed\t/etc/b\tmode 0755 -> 4755, owner 0:0 -> 0:100',
      'changed\t/etc/c\ttarget b -> a',
      'removed\t/etc/gone',
      'added\t/etc/new\\tname',
    ]);
  });

  it('sees a file that became a link', () => {
    expect(lines('ndTkYSaMgDT1yFZOFVxnpg\tmd5:0644:0:0\t1\t/x', 'link\tlink:0777:0:0\t/etc/passwd\t/x')).toEqual(['changed\t/x\tfile -> link']);
  });

  it('compares a MailLog listing whose key is not rulec\'s by digest and size', () => {
    const old = 'ndTkYSaMgDT1yFZOFVxnpg\tsomething\t1\t/x\nndTkYSaMgDT1yFZOFVxnpg\tsomething\t1\t/y';
    expect(lines(old, 'ndTkYSaMgDT1yFZOFVxnpg\tmd5:0644:0:0\t1\t/x\n9f24IZ9rya4MDHN0rHin+Q\tmd5:0644:0:0\t1\t/y')).toEqual(['changed\t/y\tcontent']);
  });

  it('says when contents could not be compared across digest algorithms', () => {
    const sha = 'LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564\tsha256:0644:0:0\t1\t/etc/a';
    const result = compareListings(entries('ndTkYSaMgDT1yFZOFVxnpg\tmd5:0644:0:0\t1\t/etc/a'), entries(sha));
    expect(result.differences).toEqual([]);
    expect(result.note).toMatch(/different digest algorithms/);
  });

  it('refuses lines that are not listing lines, with their numbers', () => {
    const { problems } = parseListing('ndTkYSaMgDT1yFZOFVxnpg\tmd5:0644:0:0\t1\t/x\nhello world\nabc\tmd5:0644:0:0\t1\t/y\nndTkYSaMgDT1yFZOFVxnpg\tmd5:0644:0:0\tten\t/z\n');
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
  });
});
