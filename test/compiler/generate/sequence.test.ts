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
    });
    expect(sequenceOf('[Ss]ession opened', '', 'session opened')?.anchor).toBe(0);
    expect(sequenceOf('[Sx]ession opened', '', 'session opened')).toBeNull();
    expect(sequenceOf('session opened', '', null)).toBeNull();
    expect(sequenceOf('straße opened', '', 'straße')).toBeNull();
  });
});
