import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const SNORT = fileURLToPath(new URL('../../../../../shared/corpus/snort/', import.meta.url));

/** A file of the shared Snort corpus, read in place. */
export function snortCorpus(name: string): Buffer {
  return readFileSync(join(SNORT, name));
}

/** The path of a file of the shared Snort corpus. */
export function snortCorpusPath(name: string): string {
  return join(SNORT, name);
}

/** The ground truth of SOURCES.md, as expected_decoded.json records it. */
export function expectedDecoded(): {
  alertpkt: Record<string, unknown> & { pkth: Record<string, number>; event: Record<string, number>; packet: Record<string, unknown> };
  unified2: { file: string; record_list: Record<string, unknown>[] }[];
} {
  return JSON.parse(snortCorpus('expected_decoded.json').toString('utf8'));
}

/** Call at the top of a test file: a maker of temporary directories removed after each test. */
export function scratchDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-snort-'));
    made.push(dir);
    return dir;
  };
}

/** Leaves a unix datagram socket file at `path` with no one bound to it, as a killed listener does. */
export function makeStaleSocket(path: string): void {
  const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  const lib = koffi.load('libc.so.6');
  const socket = lib.func('int socket(int, int, int)') as (...a: unknown[]) => number;
  const bind = lib.func('int bind(int, void *, uint32_t)') as (...a: unknown[]) => number;
  const close = lib.func('int close(int)') as (...a: unknown[]) => number;
  const address = Buffer.alloc(110);
  address.writeUInt16LE(1, 0);
  address.write(path, 2);
  const fd = socket(1, 2, 0);
  if (bind(fd, address, 110) !== 0) throw new Error(`bind ${path}: errno ${koffi.errno()}`);
  close(fd);
}
