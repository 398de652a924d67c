import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../../runtime/log/escape.js';

describe('escapeControl', () => {
  it('leaves plain text untouched', () => {
    expect(escapeControl('Failed password for root from 192.0.2.1 port 22')).toBe('Failed password for root from 192.0.2.1 port 22');
    expect(escapeControl('héllo wörld ✓')).toBe('héllo wörld ✓');
  });

  it('escapes C0, DEL, C1, ANSI sequences, separators and backslashes', () => {
    expect(escapeControl('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(escapeControl('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(escapeControl('\x00\x07\x7f\x85\x9b')).toBe('\\x00\\x07\\x7f\\x85\\x9b');
    expect(escapeControl('x\u2028y\u202ez')).toBe('x\\u2028y\\u202ez');
    // Every bidi control that can reorder what a reader sees, the Arabic letter mark included.
    expect(escapeControl('\u061c\u200e\u200f\u202a\u2066\u2069')).toBe('\\u061c\\u200e\\u200f\\u202a\\u2066\\u2069');
    expect(escapeControl('C:\\path')).toBe('C:\\\\path');
  });

  it('output never contains a control character', () => {
    let all = '';
    for (let c = 0; c < 0x2100; c++) all += String.fromCharCode(c);
    expect(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/.test(escapeControl(all))).toBe(false);
  });
});
