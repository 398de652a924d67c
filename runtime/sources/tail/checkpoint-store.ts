import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { ensurePrivateDir, readSmallFile, writeFileAtomicAsync } from '../../fs/index.js';
import type { Checkpoint, CheckpointLoad, CheckpointStore } from './types.js';

const FORMAT = 1;
// A checkpoint with a few rotated files is well under 4 KiB; anything larger was not written by us.
const MAX_CHECKPOINT_BYTES = 64 * 1024;

/**
 * A checkpoint store keeping one small JSON file per followed path in `dir`, which is created
 * now (0700) and refused, by a thrown Error saying why, when another user could write it or a
 * directory above it (see ensurePrivateDir). Each save goes through writeFileAtomicAsync, so a
 * crash leaves either the previous checkpoint or the new one, never a torn file, and nothing
 * planted in the directory is written through.
 */
export function createCheckpointStore(dir: string): CheckpointStore {
  ensurePrivateDir(dir, 'state directory');
  // Saves to one path are chained so two in flight cannot rename out of order.
  const chains = new Map<string, Promise<string | null>>();

  const fileFor = (path: string): string =>
    join(dir, `${createHash('sha256').update(path).digest('hex').slice(0, 32)}.json`);

  async function write(path: string, checkpoint: Checkpoint): Promise<string | null> {
    try {
      await writeFileAtomicAsync(fileFor(path), `${JSON.stringify({ format: FORMAT, path, ...checkpoint })}\n`);
      return null;
    } catch (err) {
      return `cannot save checkpoint for ${path}: ${(err as Error).message}`;
    }
  }

  return {
    async load(path: string): Promise<CheckpointLoad> {
      let text: string;
      try {
        text = readSmallFile(fileFor(path), MAX_CHECKPOINT_BYTES);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: null, problem: null };
        return { value: null, problem: `cannot read checkpoint for ${path}: ${(err as Error).message}` };
      }
      const value = parseCheckpoint(text, path);
      return value === null ? { value: null, problem: `ignoring a corrupt checkpoint for ${path}` } : { value, problem: null };
    },
    save(path: string, checkpoint: Checkpoint): Promise<string | null> {
      const next = (chains.get(path) ?? Promise.resolve(null)).then(() => write(path, checkpoint));
      chains.set(path, next);
      return next;
    },
  };
}

function parseCheckpoint(text: string, path: string): Checkpoint | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r['format'] !== FORMAT || r['path'] !== path) return null;
  const own = parseFile(r);
  if (own === null) return null;
  if (r['rotated'] === undefined) return own;
  if (!Array.isArray(r['rotated'])) return null;
  const rotated = (r['rotated'] as unknown[]).map((entry) => (typeof entry === 'object' && entry !== null ? parseFile(entry as Record<string, unknown>) : null));
  return rotated.every((entry): entry is Checkpoint => entry !== null) ? { ...own, rotated } : null;
}

/** One file's position: identity, head and offset, each field checked. */
function parseFile(r: Record<string, unknown>): Checkpoint | null {
  const fp = r['fingerprint'] as Record<string, unknown> | undefined;
  const decimal = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v);
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (
    !decimal(r['dev']) ||
    !decimal(r['ino']) ||
    !count(r['offset']) ||
    typeof r['discarding'] !== 'boolean' ||
    typeof fp !== 'object' ||
    fp === null ||
    !count(fp['length']) ||
    typeof fp['sha256'] !== 'string' ||
    !/^[0-9a-f]{64}$/.test(fp['sha256']) ||
    (r['dir'] !== undefined && (typeof r['dir'] !== 'string' || !isAbsolute(r['dir']))) ||
    (r['until'] !== undefined && !count(r['until']))
  ) {
    return null;
  }
  return {
    dev: r['dev'],
    ino: r['ino'],
    offset: r['offset'],
    discarding: r['discarding'],
    fingerprint: { length: fp['length'], sha256: fp['sha256'] },
    ...(typeof r['dir'] === 'string' ? { dir: r['dir'] } : {}),
    ...(typeof r['until'] === 'number' ? { until: r['until'] } : {}),
  };
}
