import { describe, expect, it } from 'vitest';
import { BASE, checkFiles, checkText, item, marked, problems } from './check-helper.js';

describe('items: model', () => {
  it('builds an item with every default', () => {
    const c = checkText(item(BASE));
    expect(problems(c)).toEqual([]);
    const [only] = c.model.items;
    expect(c.model.items).toHaveLength(1);
    expect(only).toMatchObject({
      name: 'ITEM',
      path: '/var/log/auth.log',
      fileType: 'file',
      start: 'end',
      upbound: null,
      upboundHoldoff: 0,
      downbound: null,
      downboundAction: null,
      key: { kind: 'none' },
      maxKeys: 100_000,
      size: null,
      sizeAction: null,
      clock: 'arrival',
      timestamp: { format: 'auto' },
      lineMax: 65536,
      rotateWait: 5,
      actionTimeout: 60,
    });
    expect(only!.regex.source).toBe('.*');
    expect(only!.regex.groupCount).toBe(0);
    expect(only!.upboundAction?.spec).toMatchObject({ shell: false, argv: [[{ kind: 'text', text: '/bin/true' }]] });
  });

  it('reads every optional key', () => {
    const c = checkText(
      item(
        [
          'path = /var/log/app.fifo',
          'regex = ^(?<user>\\S+) failed from (\\S+)$',
          'upbound_freq = 5/30',
          'upbound_action = /bin/block $2',
          'downbound_freq = 1/600',
          'downbound_action = /bin/alarm quiet',
          'key = $user',
          'size = 100M',
          'size_action = /bin/rotate',
          'start = beginning',
          'file_type = fifo',
          'rotate_wait = 10s',
          'line_max = 1M',
          'action_timeout = 0',
          'max_keys = 500',
          'clock = log',
          'time_format = syslog',
          'time_year = 2024',
          'time_zone = Europe/Paris',
          '',
        ].join('\n'),
      ),
    );
    expect(problems(c)).toEqual([]);
    expect(c.model.items[0]).toMatchObject({
      path: '/var/log/app.fifo',
      fileType: 'fifo',
      start: 'beginning',
      upbound: { count: 5, seconds: 30 },
      downbound: { count: 1, seconds: 600 },
      key: { kind: 'capture', index: 1 },
      size: 100 * 1024 * 1024,
      maxKeys: 500,
      clock: 'log',
      timestamp: { format: 'syslog', year: 2024, zone: 'Europe/Paris' },
      lineMax: 1024 * 1024,
      rotateWait: 10,
      actionTimeout: 0,
    });
    expect(c.model.items[0]!.regex.groupCount).toBe(2);
    expect(c.model.items[0]!.upboundAction?.spec).toMatchObject({
      argv: [[{ kind: 'text', text: '/bin/block' }], [{ kind: 'capture', index: 2 }]],
    });
    expect(c.model.items[0]!.sizeAction).not.toBeNull();
    expect(c.model.items[0]!.downboundAction).not.toBeNull();
  });

  it('reads 0/T and 0/0 as "every match" for an up-bound and "disabled" for a down-bound', () => {
    const c = checkText(
      item(`${BASE}upbound_freq = 0/30\n`, 'A') +
        item(`${BASE}upbound_freq = 0/0\ndownbound_freq = 0/60\ndownbound_action = /bin/x\n`, 'B'),
      true,
    );
    expect(c.model.items.map((i) => [i.upbound, i.downbound])).toEqual([
      [null, null],
      [null, null],
    ]);
    // A down-bound action with a disabled frequency never runs: say so.
    const d = c.only('R302');
    expect(d.severity).toBe('warning');
    expect(c.text(d)).toBe('downbound_action');
  });

  it('keeps items in file order across includes and lists the files', () => {
    const c = checkFiles({
      'main.rules': `${item(BASE, 'FIRST')}source "more/two.rules"\n${item(BASE, 'LAST')}`,
      'more/two.rules': item(BASE, 'MIDDLE'),
    });
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => i.name)).toEqual(['FIRST', 'MIDDLE', 'LAST']);
    expect(c.model.files).toEqual(['main.rules', 'more/two.rules']);
    expect(c.model.name).toBe('main.rules');
  });
});

describe('items: keys', () => {
  it('counts per CRC with usecrc and per capture with key', () => {
    const c = checkText(
      item(`${BASE}regex = (a)(b)\nusecrc = TRUE\n`, 'CRC') + item(`${BASE}regex = (a)(b)\nkey = $2\n`, 'CAP') + item(`${BASE}usecrc = no\n`, 'OFF'),
    );
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => i.key)).toEqual([{ kind: 'crc' }, { kind: 'capture', index: 2 }, { kind: 'none' }]);
  });

  it('reports a key beyond the groups at the value (R310)', () => {
    const m = marked(item(`${BASE}regex = (a)\nkey = <|$3|>\n`));
    const c = checkText(m.text);
    const d = c.only('R310');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(d.message).toContain('1 capture group');
  });

  it('reports an unknown group name with a suggestion', () => {
    const c = checkText(item(`${BASE}regex = (?<source>\\S+)\nkey = $sourc\n`));
    const d = c.only('R310');
    expect(d.notes).toEqual(['did you mean `source`?']);
  });

  it('refuses usecrc = true together with key (R321)', () => {
    const c = checkText(item(`${BASE}regex = (a)\nusecrc = true\nkey = $1\n`));
    const d = c.only('R321');
    expect(d.severity).toBe('error');
    expect(c.text(d)).toBe('key');
    expect(d.labels?.map((l) => c.text({ ...d, span: l.span }))).toEqual(['usecrc = true']);
  });

  it('warns that max_keys does nothing without a key (R326)', () => {
    const c = checkText(item(`${BASE}max_keys = 10\n`));
    expect(c.only('R326').severity).toBe('warning');
  });

  it('does not pile R326 onto a usecrc value already refused', () => {
    const c = checkText(item(`${BASE}usecrc = ture\nmax_keys = 10\n`));
    expect(c.codes()).toEqual(['R305']);
  });
});

describe('items: upbound_holdoff', () => {
  it('defaults to the up-bound window T, and to 0 where every match fires', () => {
    const c = checkText(item(`${BASE}upbound_freq = 5/60\n`, 'A') + item(`${BASE}upbound_freq = 0/60\n`, 'B') + item(BASE, 'C'));
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => [i.name, i.upboundHoldoff])).toEqual([['A', 60], ['B', 0], ['C', 0]]);
  });

  it('reads a duration on the item or as a [general] default; 0 counts afresh at once, as logNOT did', () => {
    const c = checkText(`upbound_holdoff = 10m\n${item(`${BASE}upbound_freq = 5/60\n`, 'A')}${item(`${BASE}upbound_freq = 5/60\nupbound_holdoff = 0\n`, 'B')}${item(`${BASE}upbound_holdoff = 90s\n`, 'C')}`);
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => [i.name, i.upboundHoldoff])).toEqual([['A', 600], ['B', 0], ['C', 90]]);
  });

  it('warns when there is no upbound_action to hold off (R325)', () => {
    const m = marked('[ITEM]\npath = /var/log/x\ndownbound_freq = 1/60\ndownbound_action = /bin/true\n<|upbound_holdoff = 5m|>\n');
    const c = checkText(m.text);
    const d = c.only('R325');
    expect(d.severity).toBe('warning');
    expect(d.message).toBe('`upbound_holdoff` has no `upbound_action` to run');
    expect(d.span).toMatchObject(m.marks[0]!);
  });
});

describe('items: values', () => {
  it.each([
    ['upbound_freq', '5/<|x|>', 'R303'],
    ['downbound_freq', '<|often|>', 'R303'],
    ['size', '10<|Q|>', 'R304'],
    ['line_max', '<|0|>', 'R304'],
    ['usecrc', '<|maybe|>', 'R305'],
    ['shell', '<|2|>', 'R305'],
    ['max_keys', '<|many|>', 'R306'],
    ['rotate_wait', '5<|y|>', 'R306'],
    ['action_timeout', '<|soon|>', 'R306'],
    ['action_timeout', '<|25d|>', 'R306'],
    ['upbound_holdoff', '<|later|>', 'R306'],
    ['time_year', '<|1800|>', 'R306'],
    ['start', '<|middle|>', 'R321'],
    ['file_type', '<|socket|>', 'R321'],
    ['clock', '<|wall|>', 'R321'],
    ['time_format', '<|rfc3339|>', 'R321'],
    ['time_zone', '<|Mars/Olympus|>', 'R321'],
  ])('reports a bad %s value at the bad part (%s → %s)', (key, value, code) => {
    const m = marked(`[ITEM]\n${BASE}${key} = ${value}\n`);
    const c = checkText(m.text);
    const d = c.diagnostics.find((x) => x.code === code);
    expect(d, c.codes().join(',')).toBeDefined();
    expect(d!.severity).toBe('error');
    expect(d!.span).toMatchObject(m.marks[0]!);
  });

  it('suggests the closest word for an enumerated value', () => {
    const c = checkText(item(`${BASE}start = begining\n`));
    expect(c.only('R321').notes).toEqual(['did you mean `beginning`?']);
  });

  it('accepts UTC and IANA zones', () => {
    const c = checkText(item(`${BASE}time_zone = UTC\n`, 'A') + item(`${BASE}time_zone = America/New_York\n`, 'B'));
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => i.timestamp.zone)).toEqual(['UTC', 'America/New_York']);
  });
});

describe('items: structure', () => {
  it('requires a path (R302 at the section name)', () => {
    const m = marked('[<|NOPATH|>]\nupbound_action = /bin/true\n');
    const c = checkText(m.text);
    const d = c.only('R302');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(c.model.items).toEqual([]);
  });

  it('requires an action (R322)', () => {
    const c = checkText('[QUIET]\npath = /x\n');
    const d = c.only('R322');
    expect(c.text(d)).toBe('QUIET');
  });

  it('pairs size with size_action (R302 on whichever is alone)', () => {
    const c = checkText(item(`${BASE}size = 1M\n`, 'A') + item('path = /x\nsize_action = /bin/true\n', 'B'));
    const found = c.diagnostics.filter((d) => d.code === 'R302').map((d) => c.text(d));
    expect(found).toEqual(['size = 1M', 'size_action = /bin/true']);
  });

  it('warns about a frequency without its action (R325)', () => {
    const c = checkText('[A]\npath = /x\nsize = 1K\nsize_action = /bin/s\nupbound_freq = 3/60\ndownbound_freq = 1/60\n');
    const found = c.diagnostics.filter((d) => d.code === 'R325');
    expect(found.map((d) => [d.severity, c.text(d)])).toEqual([
      ['warning', 'upbound_freq = 3/60'],
      ['warning', 'downbound_freq = 1/60'],
    ]);
  });

  it('reports an unknown key with a did-you-mean note (R301)', () => {
    const m = marked(`[ITEM]\n${BASE}<|upbound_frq|> = 3/60\n`);
    const c = checkText(m.text);
    const d = c.only('R301');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(d.notes).toEqual(['did you mean `upbound_freq`?']);
  });

  it('reports a duplicate key with a label at the first (R314)', () => {
    const m = marked(`[ITEM]\n${BASE}<|regex|> = a\n<|regex|> = b\n`);
    const c = checkText(m.text);
    const d = c.only('R314');
    expect(d.severity).toBe('error');
    expect(d.span).toMatchObject(m.marks[1]!);
    expect(d.labels?.[0]?.span).toMatchObject(m.marks[0]!);
    expect(c.model.items[0]!.regex.source).toBe('a');
  });

  it('reports a duplicate section name with a label at the first (R313)', () => {
    const m = marked(`[<|TWICE|>]\n${BASE}[<|TWICE|>]\n${BASE}`);
    const c = checkText(m.text);
    const d = c.only('R313');
    expect(d.span).toMatchObject(m.marks[1]!);
    expect(d.labels?.[0]?.span).toMatchObject(m.marks[0]!);
  });

  it('keeps general-only keys out of items (R320)', () => {
    const c = checkText(item(`${BASE}athread_count = 4\nuid = nobody\n`));
    expect(c.diagnostics.filter((d) => d.code === 'R320').map((d) => c.text(d))).toEqual(['athread_count', 'uid']);
  });

  it('warns at the shell entry when actions run under a shell (R312)', () => {
    const m = marked(`[ITEM]\n${BASE.replace('/bin/true', 'echo "$RULEC_1" | logger')}<|shell = yes|>\n`);
    const c = checkText(m.text);
    const d = c.only('R312');
    expect(d.severity).toBe('warning');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(c.model.items[0]!.upboundAction?.spec).toEqual({
      shell: true,
      command: 'echo "$RULEC_1" | logger',
      source: 'echo "$RULEC_1" | logger',
    });
  });
});

describe('items: several on one path', () => {
  it('refuses items on one file that disagree on start or file_type, naming both (one reader serves them)', () => {
    const c = checkText(
      [
        item(`${BASE}start = end\n`, 'FIRST'),
        item(`${BASE}start = beginning\n`, 'SECOND'),
        item(`${BASE}file_type = fifo\n`, 'THIRD'),
        item(`path = /var/log/other.log\nupbound_action = /bin/true\nstart = beginning\n`, 'ELSEWHERE'),
      ].join('\n'),
    );
    const found = problems(c);
    expect(found.map((d) => `${c.where(d)} ${d.code} ${c.text(d)}`)).toEqual([
      'main.rules:9:1 R329 start = beginning',
      'main.rules:14:1 R329 file_type = fifo',
    ]);
    expect(found[0]!.message).toBe('item `SECOND` reads /var/log/auth.log with `start = beginning`, but `FIRST` reads it with `start = end`');
    expect(found[1]!.message).toContain('`file_type = fifo`');
    // Each points at the first item's own setting, or at its name when that is the default.
    expect(found.map((d) => c.text({ ...d, span: d.labels![0]!.span }))).toEqual(['start = end', 'FIRST']);
  });

  it('takes a value set once in [general] as every item\'s, with no diagnostic', () => {
    const c = checkText(`[general]\nstart = beginning\n\n${item(BASE, 'A')}\n${item(BASE, 'B')}`);
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => i.start)).toEqual(['beginning', 'beginning']);
  });
});
