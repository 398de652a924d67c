import { describe, expect, it } from 'vitest';
import { Notifier } from '../../../../runtime/sources/tail/notifier.js';
import type { TailNotice } from '../../../../runtime/sources/tail/types.js';

describe('Notifier', () => {
  it('reports a repeated error once, and again after recovered()', () => {
    const got: TailNotice[] = [];
    const n = new Notifier('/var/log/a', { lines: () => {}, notice: (e) => got.push(e) });
    n.errorOnce('EACCES');
    n.errorOnce('EACCES');
    n.errorOnce('ENOENT');
    n.errorOnce('ENOENT');
    n.recovered();
    n.errorOnce('ENOENT');
    n.error('always');
    n.error('always');
    expect(got).toEqual([
      { kind: 'error', path: '/var/log/a', message: 'EACCES' },
      { kind: 'error', path: '/var/log/a', message: 'ENOENT' },
      { kind: 'error', path: '/var/log/a', message: 'ENOENT' },
      { kind: 'error', path: '/var/log/a', message: 'always' },
      { kind: 'error', path: '/var/log/a', message: 'always' },
    ]);
  });

  it('reports a missing path once until it is present again, and a stat error once', () => {
    const got: TailNotice[] = [];
    const n = new Notifier('/var/log/a', { lines: () => {}, notice: (e) => got.push(e) });
    n.missing();
    n.missing();
    n.present();
    n.missing();
    expect(n.stat('/nonexistent/rulec-nothing')).toBeUndefined();
    expect(n.stat('/')?.isDirectory()).toBe(true);
    // A path through a regular file: ENOTDIR, which stat reports instead of returning nothing.
    const through = `${process.execPath}/x`;
    expect(n.stat(through)).toBeNull();
    expect(n.stat(through)).toBeNull();
    expect(got.map((e) => e.kind)).toEqual(['missing', 'missing', 'error']);
  });

  it('swallows a throwing notice handler and works without one', () => {
    let calls = 0;
    const throwing = new Notifier('/x', {
      lines: () => {},
      notice: () => {
        calls++;
        throw new Error('handler bug');
      },
    });
    expect(() => throwing.notice({ kind: 'missing', path: '/x' })).not.toThrow();
    expect(() => throwing.errorOnce('boom')).not.toThrow();
    expect(calls).toBe(2);
    expect(() => new Notifier('/x', { lines: () => {} }).error('nobody listens')).not.toThrow();
  });
});
