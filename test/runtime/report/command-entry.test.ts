import { describe, expect, it } from 'vitest';
import { BodyBuffer } from '../../../runtime/report/body-buffer.js';
import { builtinEntry } from '../../../runtime/report/builtin-entries.js';
import type { EntryContext } from '../../../runtime/report/report-entry.js';

function context(index = 1): EntryContext {
  return { kind: 'command', index, directives: [], settings: {}, host: 'h', baseDir: '.', stateDir: null, debug: () => {} };
}

function command(argv: string[], timeout?: number) {
  return { kind: 'command' as const, exec: argv.join(' '), argv, description: null, mimeFile: null, ...(timeout === undefined ? {} : { timeout }) };
}

describe('command entry', () => {
  it('attaches stdout as it is, then stderr and a non-zero exit status', async () => {
    const entry = builtinEntry(command(['sh', '-c', 'printf "a b\\n"; echo oops >&2; exit 3']), context(2));
    expect(entry.mime_file).toBe('command-2.txt');
    await entry.validate();
    const out = new BodyBuffer();
    await entry.run(out);
    expect(out.bytes().toString()).toBe('a b\n[rulec: standard error]\noops\n[rulec: exit status 3]\n');
  });

  it('hides rulec\'s own RULEC_* variables (SMTP credentials) from the command', async () => {
    process.env.RULEC_SMTP_PASSWORD = 'secret';
    const out = new BodyBuffer();
    try {
      await builtinEntry(command(['sh', '-c', 'echo "[$RULEC_SMTP_PASSWORD]"']), context()).run(out);
    } finally {
      delete process.env.RULEC_SMTP_PASSWORD;
    }
    expect(out.bytes().toString()).toBe('[]\n');
  });

  it('takes mime_file and description from the block', () => {
    const entry = builtinEntry({ ...command(['true']), mimeFile: 'ls.txt', description: 'Show directory' }, context());
    expect([entry.mime_file, entry.description]).toEqual(['ls.txt', 'Show directory']);
  });

  it('fails on a program that does not exist and on the timeout', async () => {
    await expect(builtinEntry(command(['/nonexistent/prog']), context()).run(new BodyBuffer())).rejects.toThrow(/cannot run \/nonexistent\/prog/);
    const out = new BodyBuffer();
    await expect(builtinEntry(command(['sh', '-c', 'echo started; exec sleep 30'], 0.3), context()).run(out)).rejects.toThrow(/timeout/);
    expect(out.bytes().toString()).toMatch(/^started\n\[rulec: killed by SIGTERM\]\n$/);
  });

  it('refuses a module without argv (built by an older rulec)', () => {
    const { argv: _argv, ...old } = command(['ls']);
    expect(() => builtinEntry(old, context()).validate()).toThrow(/older rulec/);
  });

  it('cuts a body past its limit and says so', () => {
    const out = new BodyBuffer(4);
    out.print('abc', new Uint8Array([100, 101]), 'f');
    expect(out.bytes().toString()).toBe('abcd\n[rulec: cut at 4 bytes]\n');
  });
});
