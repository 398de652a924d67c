import { describe, expect, it } from 'vitest';
import { sequenceOf } from '../../../compiler/generate/sequence.js';

const NOT_SPACE = [[0, 8], [14, 31], [33, 127]];

describe('sequenceOf', () => {
  it('reads text and class runs, groups dropped, anchored where the literal begins', () => {
    expect(sequenceOf('Failed password for ([^\\x09-\\x0D ]+) from ([^\\x09-\\x0D ]+)$', '', ' from ')).toEqual({
      parts: [
        { kind: 'text', text: 'Failed password for ' },
        { kind: 'set', ranges: NOT_SPACE, min: 1, max: null },
        { kind: 'text', text: ' from ' },
        { kind: 'set', ranges: NOT_SPACE, min: 1, max: null },
        { kind: 'end' },
      ],
      anchor: 2,
    });
  });

  it('splits text where the literal begins inside it, and counted atoms the literal covers', () => {
    const sequence = sequenceOf('^sshd\\[\\d{1,5}\\]: Accepted x{3}yz', '', 'accepted xxxy');
    expect(sequence).toEqual({
      parts: [
        { kind: 'start' },
        { kind: 'text', text: 'sshd[' },
        { kind: 'set', ranges: [[48, 57]], min: 1, max: 5 },
        { kind: 'text', text: ']: ' },
        { kind: 'text', text: 'Accepted xxxyz' },
      ],
      anchor: 4,
    });
  });

  it('asks V8 what each atom matches, with the pattern flags (case folding, dotAll)', () => {
    const caseless = sequenceOf('kernel: .*error', 'i', 'kernel: ');
    expect(caseless?.parts[0]).toEqual({ kind: 'set', ranges: [[75, 75], [107, 107]], min: 1, max: 1 });
    expect(caseless?.parts[7]).toEqual({ kind: 'set', ranges: [[0, 9], [11, 12], [14, 127]], min: 0, max: null });
    const dotAll = sequenceOf('abcdef.', 's', 'abcdef');
    expect(dotAll?.parts[1]).toEqual({ kind: 'set', ranges: [[0, 127]], min: 1, max: 1 });
  });

  it('leaves the regex to decide what is not a plain sequence', () => {
    const cases: [string, string][] = [
      ['Failed password for (?:invalid user )?(\\S+)', ''],
      ['session (opened|closed) for', ''],
      ['(ab)+ session opened', ''],
      ['\\bsession opened', ''],
      ['session opened(?= for)', ''],
      ['(a)session opened\\1', ''],
      ['^session opened', 'm'],
    ];
    for (const [js, flags] of cases) expect(sequenceOf(js, flags, 'session opened'), js).toBeNull();
  });

  it('needs the literal at a place every match holds it', () => {
    // Inside a run of a class, or a letter the case-sensitive pattern does not fold: no anchor.
    expect(sequenceOf('[a-z]+ opened', '', 'session')).toBeNull();
    expect(sequenceOf('Session opened', '', 'session opened')).toEqual({
      parts: [{ kind: 'text', text: 'Session opened' }],
      anchor: 0,
      groups: [],
    });
    expect(sequenceOf('[Ss]ession opened', '', 'session opened')?.anchor).toBe(0);
    expect(sequenceOf('[Sx]ession opened', '', 'session opened')).toBeNull();
    expect(sequenceOf('session opened', '', null)).toBeNull();
    expect(sequenceOf('straße opened', '', 'straße')).toBeNull();
  });

  it('places the capture groups where the sequence starts at the literal, also inside merged text', () => {
    // Parts: 'Failed password for ', a run, ' from xx', a run of digits, the end.
    const sequence = sequenceOf('Failed (pass)word for ([^ ]+) from (x{2})(?:(\\d+))$', '', 'failed pass');
    expect(sequence?.parts.map((part) => (part.kind === 'text' ? part.text : part.kind))).toEqual(['Failed password for ', 'set', ' from xx', 'set', 'end']);
    expect(sequence?.groups).toEqual([
      [0, 7, 0, 11],
      [1, 0, 2, 0],
      [2, 6, 3, 0],
      [3, 0, 4, 0],
    ]);
    // Read off a match, the places give V8's own captures.
    const line = 'x Failed password for root from xx42';
    const match = /Failed (pass)word for ([^ ]+) from (x{2})(?:(\d+))$/.exec(line)!;
    const starts = [2, 22, 26, 34, 36];
    expect(sequence!.groups!.map(([a, x, b, y]) => line.slice(starts[a]! + x, starts[b]! + y))).toEqual(match.slice(1));
  });

  it('gives no group places where V8 could choose differently or the match can start before the literal', () => {
    expect(sequenceOf('Failed password for ([^ ]+?) from', '', 'failed password')?.groups).toBeUndefined();
    expect(sequenceOf('Failed password for (?<user>[^ ]+) from', '', 'failed password')?.groups).toBeUndefined();
    expect(sequenceOf('([^ ]+) from ([^ ]+)', '', ' from ')?.groups).toBeUndefined();
    // A lazy quantifier of fixed count has one length, nothing to choose (its three atoms are split: the literal is as long).
    expect(sequenceOf('Failed password ([^ ]{3}?) from', '', 'failed password')?.groups).toEqual([[1, 0, 4, 0]]);
  });
});
