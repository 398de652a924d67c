import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputFileProblem } from '../../../runtime/fs/index.js';
import { REPO } from '../../cli/run-cli.js';
import { asNobody, NOBODY, scratch, secondUserMissing } from './helpers.js';

const dir = scratch();

describe('inputFileProblem (StrictModes for files rulec loads)', () => {
  it('accepts root\'s file in root\'s directories below a sticky /tmp; refuses group or other write on it or above it', () => {
    const d = dir();
    const file = join(d, 'a.rules');
    writeFileSync(file, '', { mode: 0o644 });
    expect(inputFileProblem(file)).toBeNull();
    chmodSync(file, 0o664);
    // Root's own group is no excuse: as root only root may write.
    expect(inputFileProblem(file)).toMatch(/is writable by its group \(gid \d+\) \(mode 0664\)$/);
    chmodSync(file, 0o644);
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'b.rules'), '');
    chmodSync(join(d, 'sub'), 0o777);
    expect(inputFileProblem(join(d, 'sub', 'b.rules'))).toBe(`${join(d, 'sub')} is writable by every user (mode 0777)`);
    // Missing, or a device: the reader says why.
    expect(inputFileProblem(join(d, 'none.rules'))).toBeNull();
    expect(inputFileProblem('/dev/zero')).toBeNull();
  });

  it('as root: refuses a file reached through another user\'s symlink, and a file of another user\'s', (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const d = dir();
    chmodSync(d, 0o1777);
    const file = join(d, 'root.rules');
    writeFileSync(file, '');
    expect(asNobody(['ln', '-s', file, join(d, 'link.rules')]).status).toBe(0);
    expect(inputFileProblem(join(d, 'link.rules'))).toBe(`${join(d, 'link.rules')} is a symbolic link owned by uid ${NOBODY}`);
    symlinkSync(file, join(d, 'own-link.rules'));
    expect(inputFileProblem(join(d, 'own-link.rules'))).toBeNull();
    chownSync(file, NOBODY, NOBODY);
    expect(inputFileProblem(file)).toBe(`${file} is owned by uid ${NOBODY}`);
  });

  it('as another user: its own file is fine, also group-writable by its own primary group (umask 002); group write by another group is not', (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const d = dir();
    chmodSync(d, 0o1777);
    const file = join(d, 'mine.rules');
    writeFileSync(file, '', { mode: 0o664 });
    chownSync(file, NOBODY, NOBODY);
    chmodSync(file, 0o664);
    const probe = (path: string): string => {
      const code = `import(${JSON.stringify(join(REPO, 'out/runtime/fs/index.js'))}).then((m) => process.stdout.write(String(m.inputFileProblem(${JSON.stringify(path)}))))`;
      const r = asNobody([process.execPath, '-e', code]);
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    expect(probe(file)).toBe('null');
    chownSync(file, NOBODY, 0);
    expect(probe(file)).toBe(`${file} is writable by its group (gid 0) (mode 0664)`);
  });
});
