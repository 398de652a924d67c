import { describe, expect, it } from 'vitest';
import { actionEnv, fillArgv } from '../../../runtime/actions/fill-argv.js';
import type { ActionSpec } from '../../../runtime/contract.js';
import { cap, text, whole } from './helpers.js';

const spec = (...words: string[]): ActionSpec => ({
  shell: false,
  argv: words.map((w) => [text(w)]),
  source: 'test',
});

describe('fillArgv', () => {
  it('joins the parts of each word and fills captures and the line', () => {
    const action: ActionSpec = {
      shell: false,
      argv: [[text('/sbin/block')], [text('-s'), cap(2)], [cap(0)], [text('line='), whole]],
      source: '/sbin/block -s$2 $0 line=$@',
    };
    expect(fillArgv(action, ['m0', 'u', '192.0.2.1'], 'the line')).toEqual(['/sbin/block', '-s192.0.2.1', 'm0', 'line=the line']);
  });

  it('fills once: $1 and $@ inside captured text stay as written', () => {
    const action: ActionSpec = { shell: false, argv: [[cap(1)], [cap(2), whole]], source: 'x' };
    expect(fillArgv(action, ['$0', '$2 $@', 'b$1'], 'L $1')).toEqual(['$2 $@', 'b$1L $1']);
  });

  it('gives the empty string for undefined and missing captures, keeping the word', () => {
    const action: ActionSpec = { shell: false, argv: [[text('p')], [cap(1)], [text('x'), cap(7)]], source: 'x' };
    expect(fillArgv(action, ['all', undefined], 'l')).toEqual(['p', '', 'x']);
  });

  it('runs a shell action as /bin/sh -c with the command untouched', () => {
    const action: ActionSpec = { shell: true, command: 'echo "$RULEC_1" $1', source: 'x' };
    expect(fillArgv(action, ['a', 'b'], 'l')).toEqual(['/bin/sh', '-c', 'echo "$RULEC_1" $1']);
  });
});

describe('actionEnv', () => {
  it('puts captures and the line in RULEC_* for a shell action only', () => {
    const shell: ActionSpec = { shell: true, command: 'true', source: 'x' };
    expect(actionEnv(shell, ['all', undefined, 'two'], 'L', { RULEC_ITEM: 'I' })).toEqual({
      RULEC_ITEM: 'I', RULEC_0: 'all', RULEC_1: '', RULEC_2: 'two', RULEC_LINE: 'L',
    });
    expect(actionEnv(spec('p'), ['all'], 'L', { RULEC_ITEM: 'I' })).toEqual({ RULEC_ITEM: 'I' });
  });
});
