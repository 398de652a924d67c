import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstInvalidUtf8, MAX_RULE_FILE_BYTES, readRuleFile } from '../../compiler/read-rule-file.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const scratch = (): string => (dir = mkdtempSync(join(tmpdir(), 'rulec-read-')));

describe('readRuleFile', () => {
  it('reads a regular UTF-8 file, dropping a byte-order mark', () => {
    const file = join(scratch(), 'a.rules');
    writeFileSync(file, '\ufeffset subject “x”\n');
    expect(readRuleFile(file)).toEqual({ kind: 'text', text: 'set subject “x”\n' });
  });

  it('says why it cannot read: missing, a directory, a device, a FIFO (none of them read, none blocking)', () => {
    const d = scratch();
    expect(readRuleFile(join(d, 'missing.rules'))).toEqual({ kind: 'missing' });
    mkdirSync(join(d, 'dir'));
    expect(readRuleFile(join(d, 'dir'))).toEqual({ kind: 'unreadable', reason: 'EISDIR: is a directory' });
    expect(readRuleFile('/dev/zero')).toEqual({ kind: 'unreadable', reason: 'not a regular file: a character device' });
    expect(readRuleFile('/dev/urandom')).toEqual({ kind: 'unreadable', reason: 'not a regular file: a character device' });
    expect(spawnSync('mkfifo', [join(d, 'fifo')]).status).toBe(0);
    expect(readRuleFile(join(d, 'fifo'))).toEqual({ kind: 'unreadable', reason: 'not a regular file: a FIFO' });
  });

  it('refuses a file over the limit without reading it', () => {
    const file = join(scratch(), 'huge.rules');
    writeFileSync(file, '');
    // Sparse: 16 GiB that would take minutes and all memory to read.
    truncateSync(file, 16 * 1024 ** 3);
    expect(readRuleFile(file)).toEqual({ kind: 'too-large', size: 16 * 1024 ** 3 });
    truncateSync(file, MAX_RULE_FILE_BYTES);
    expect(readRuleFile(file).kind).toBe('text');
  });

  it('finds the first byte that is not UTF-8 and where it lands in the decoded text', () => {
    const file = join(scratch(), 'latin1.rules');
    // "é" in Latin-1 on line 2, after a multi-byte character on line 1.
    writeFileSync(file, Buffer.concat([Buffer.from('set a “b”\nset c '), Buffer.from([0xe9]), Buffer.from('\n')]));
    const read = readRuleFile(file);
    expect(read).toMatchObject({ kind: 'not-utf8', byte: 20, offset: 'set a “b”\nset c '.length });
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts well-formed UTF-8 and flags what RFC 3629 forbids', () => {
    expect(firstInvalidUtf8(Buffer.from('aé€😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1); // a lone continuation byte
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xe0, 0x80, 0xaf]))).toBe(0); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // cut short at the end
  });
});
