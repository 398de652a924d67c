import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListing, type ListingEntry } from '../../../../runtime/sources/monitor/listing.js';
import { runMonitor } from '../../../../runtime/sources/monitor/monitor-block.js';
import { scanTrees } from '../../../../runtime/sources/monitor/scan-tree.js';

function listing(dirs: string[], options: { algorithm?: 'md5' | 'sha256'; crossFilesystems?: boolean } = {}): string {
  const lines: string[] = [];
  scanTrees({ dirs, algorithm: options.algorithm ?? 'md5', crossFilesystems: options.crossFilesystems ?? false }, (line) => lines.push(line));
  return lines.join('\n');
}

const names = (entries: readonly ListingEntry[]): string[] =>
  entries.flatMap((e) => (e.kind === 'warn' ? [] : [e.name.toString('latin1')]));

/** Perl's Digest::MD5 b64digest of each file, the form MailLog wrote. */
function perlB64(files: readonly string[]): string[] {
  const script = 'use Digest::MD5; for (@ARGV) { open(my $f, "<", $_) or die; binmode $f; print Digest::MD5->new->addfile($f)->b64digest, "\\n" }';
  return execFileSync('perl', ['-e', script, ...files], { encoding: 'utf8' }).trim().split('\n');
}

describe('monitor tree scan', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'rulec-monitor-'));
    mkdirSync(join(root, 'sub/deeper'), { recursive: true });
    writeFileSync(join(root, 'empty'), '');
    writeFileSync(join(root, 'one'), 'x');
    // Crosses the digester's 1 MiB chunk, so the streaming path is compared too.
    writeFileSync(join(root, 'sub/big'), Buffer.alloc((1 << 20) + 12345, 'abcdefghij'));
    writeFileSync(join(root, 'sub/deeper/text'), 'line one\nline two\n');
    symlinkSync('../one', join(root, 'sub/link-to-file'));
    symlinkSync('deeper', join(root, 'sub/link-to-dir'));
    execFileSync('mkfifo', [join(root, 'sub/fifo')]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('digests as Perl Digest::MD5 b64digest does, and SHA-256 unpadded', () => {
    const { entries, problems } = parseListing(listing([root]));
    expect(problems).toEqual([]);
    const files = entries.filter((e) => e.kind === 'file');
    expect(files.map((f) => f.name.toString())).toEqual([`${root}/empty`, `${root}/one`, `${root}/sub/big`, `${root}/sub/deeper/text`]);
    expect(files.map((f) => f.digest)).toEqual(perlB64(files.map((f) => f.name.toString())));
    const sha = parseListing(listing([root], { algorithm: 'sha256' })).entries.filter((e) => e.kind === 'file');
    const expected = execFileSync('sha256sum', sha.map((f) => f.name.toString()), { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => Buffer.from(line.slice(0, 64), 'hex').toString('base64').replace(/=+$/, ''));
    expect(sha.map((f) => f.digest)).toEqual(expected);
    expect(sha.every((f) => f.digest.length === 43)).toBe(true);
  });

  it('writes size and key (kind:mode:uid:gid), lists links as links and leaves FIFOs alone', () => {
    // chown clears a set-uid bit: own first, then set the mode.
    chownSync(join(root, 'one'), 1234, 5678);
    chmodSync(join(root, 'one'), 0o4750);
    const text = listing([root]);
    expect(text).toContain(`\tmd5:4750:1234:5678\t1\t${root}/one`);
    expect(text).toContain(`\tmd5:0644:0:0\t${(1 << 20) + 12345}\t${root}/sub/big`);
    expect(text).toMatch(new RegExp(`^link\\tlink:0777:0:0\\t\\.\\./one\\t${root}/sub/link-to-file$`, 'm'));
    expect(text).toMatch(new RegExp(`^link\\tlink:0777:0:0\\tdeeper\\t${root}/sub/link-to-dir$`, 'm'));
    // The link to a directory is not followed: deeper/text appears once, under its own name.
    expect(text.split(`/text`).length - 1).toBe(1);
    expect(text).not.toContain('fifo');
  });

  it('follows a root that is itself a symlink, and lists each directory once however many roots reach it', () => {
    const text = listing([join(root, 'sub/link-to-dir'), join(root, 'sub'), join(root, 'sub/deeper')]);
    const listed = names(parseListing(text).entries);
    expect(listed.filter((n) => n.endsWith('/text'))).toEqual([`${root}/sub/link-to-dir/text`]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('says what it could not read, and goes on', () => {
    const text = listing([join(root, 'missing'), root]);
    expect(text.split('\n')[0]).toBe(`warn\tcannot read directory ${root}/missing: ENOENT`);
    expect(text).toContain(`${root}/sub/deeper/text`);
  });

  it('writes an unreadable file as a warn line (run as an unprivileged user)', () => {
    const locked = join(root, 'locked');
    writeFileSync(locked, 'secret');
    chmodSync(locked, 0o000);
    chmodSync(root, 0o755);
    if (process.getuid?.() !== 0) {
      expect(listing([root])).toContain(`warn\tcannot read ${locked}: EACCES`);
      return;
    }
    // Root reads anything: scan from a child process that runs as nobody.
    const module = new URL('../../../../out/runtime/sources/monitor/scan-tree.js', import.meta.url).href;
    const script = `import(${JSON.stringify(module)}).then((m) => m.scanTrees({ dirs: [${JSON.stringify(root)}], algorithm: 'md5', crossFilesystems: false }, (l) => console.log(l)))`;
    const child = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout).toContain(`warn\tcannot read ${locked}: EACCES\n`);
    expect(child.stdout).toContain(`\t${root}/sub/deeper/text\n`);
    rmSync(locked);
  });

  it('keeps names with spaces, tabs, newlines and bytes that are not UTF-8 on one line each, and reads them back', () => {
    const odd = mkdtempSync(join(tmpdir(), 'rulec-odd-'));
    try {
      const raw = [Buffer.from('with space'), Buffer.from('tab\there'), Buffer.from('new\nline'), Buffer.from([0x6c, 0xe9, 0xff]), Buffer.from('esc\x1b[2J')];
      for (const name of raw) writeFileSync(Buffer.concat([Buffer.from(`${odd}/`), name]), name);
      const text = listing([odd]);
      expect(text.split('\n')).toHaveLength(raw.length);
      expect(text).not.toContain('\x1b');
      const back = parseListing(text).entries.flatMap((e) => (e.kind === 'file' ? [e.name.subarray(odd.length + 1)] : []));
      expect(back.map((b) => b.toString('hex')).sort()).toEqual(raw.map((b) => b.toString('hex')).sort());
    } finally {
      rmSync(odd, { recursive: true, force: true });
    }
  });

  it('does not enter another file system unless asked', (context) => {
    const mountPoint = join(root, 'mnt');
    mkdirSync(mountPoint, { recursive: true });
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'rulec-test', mountPoint]);
    if (mounted.status !== 0) context.skip('cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)');
    try {
      writeFileSync(join(mountPoint, 'inside'), 'x');
      const text = listing([root]);
      expect(text).not.toContain('/mnt/inside');
      expect(text).toContain(`warn\tnot entering ${mountPoint}: another file system`);
      expect(listing([root], { crossFilesystems: true })).toContain(`\t${mountPoint}/inside`);
    } finally {
      spawnSync('umount', [mountPoint]);
    }
  });

  it('writes whole lines to a report output in chunks', () => {
    const chunks: string[] = [];
    const stats = runMonitor({ dirs: [root], digest: 'md5', crossFilesystems: false }, { print: (text) => chunks.push(text) });
    expect(stats.files).toBeGreaterThanOrEqual(4);
    expect(chunks.join('')).toBe(`${listing([root])}\n`);
  });
});
