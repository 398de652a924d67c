import { describe, expect, it } from 'vitest';
import { parseBoolean, parseDuration, parseFrequency, parseInteger, parseSize } from '../../../compiler/values/index.js';

describe('parseFrequency', () => {
  it.each([
    ['5/30', 5, 30],
    ['0/0', 0, 0],
    ['0/60', 0, 60],
    ['3 / 60', 3, 60],
    ['  5/30 ', 5, 30],
    ['1000000/60', 1_000_000, 60],
  ])('reads %j', (text, count, seconds) => {
    expect(parseFrequency(text)).toEqual({ ok: true, value: { count, seconds } });
  });

  it.each([
    ['5', 0, 1],
    ['five/30', 0, 4],
    ['5/x', 2, 3],
    ['5/ ', 2, 3],
    ['5/0', 2, 3],
    ['-1/30', 0, 2],
    ['', 0, 0],
    ['1000001/60', 0, 7],
    ['9007199254740991/60', 0, 16],
  ])('rejects %j at [%i, %i)', (text, start, end) => {
    const r = parseFrequency(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.start, r.end]).toEqual([start, end]);
  });
});

describe('parseSize', () => {
  it.each([
    ['100', 100],
    ['1B', 1],
    ['1b', 1],
    ['4K', 4096],
    ['100M', 100 * 1024 * 1024],
    ['2g', 2 * 1024 ** 3],
    [' 3 k ', 3072],
  ])('reads %j', (text, value) => {
    expect(parseSize(text)).toEqual({ ok: true, value });
  });

  it('points at an unknown unit', () => {
    expect(parseSize('10MB')).toMatchObject({ ok: false, start: 2, end: 4 });
    expect(parseSize('10T')).toMatchObject({ ok: false, start: 2, end: 3 });
  });

  it.each(['', 'M', '1.5M', '-1', '0', '99999999999999999G'])('rejects %j', (text) => {
    expect(parseSize(text).ok).toBe(false);
  });
});

describe('parseBoolean', () => {
  it.each([
    ['0', false], ['1', true], ['yes', true], ['NO', false], ['True', true], ['FALSE', false], [' yes ', true],
  ])('reads %j', (text, value) => {
    expect(parseBoolean(text)).toEqual({ ok: true, value });
  });

  it.each(['', 'y', '2', 'on', 'constructor', 'toString'])('rejects %j', (text) => {
    expect(parseBoolean(text).ok).toBe(false);
  });
});

describe('parseInteger', () => {
  it('reads within range', () => {
    expect(parseInteger('2', 1, 64)).toEqual({ ok: true, value: 2 });
    expect(parseInteger(' 64', 1, 64)).toEqual({ ok: true, value: 64 });
    expect(parseInteger('-3', -5, 5)).toEqual({ ok: true, value: -3 });
  });

  it('rejects out-of-range and non-numbers with the value span', () => {
    expect(parseInteger(' 65', 1, 64)).toMatchObject({ ok: false, start: 1, end: 3 });
    expect(parseInteger('0', 1, 64)).toMatchObject({ ok: false, message: expect.stringContaining('1 to 64') });
    expect(parseInteger('2.5', 1, 64).ok).toBe(false);
    expect(parseInteger('', 1, 64).ok).toBe(false);
    expect(parseInteger('1e3', 1, 5000).ok).toBe(false);
  });
});

describe('parseDuration', () => {
  it.each([
    ['5', 5], ['5s', 5], ['2m', 120], ['1h', 3600], ['1d', 86400], ['500ms', 0.5], ['300ms', 0.3], ['1.5s', 1.5], ['0', 0], [' 10 S', 10],
  ])('reads %j as %d seconds', (text, value) => {
    expect(parseDuration(text)).toEqual({ ok: true, value });
  });

  it('points at an unknown unit', () => {
    expect(parseDuration('5 min')).toMatchObject({ ok: false, start: 2, end: 5 });
  });

  it.each(['', 's', '-5s', '5 s s', '1e3'])('rejects %j', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });
});
