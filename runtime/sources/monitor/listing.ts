/**
 * The monitor listing, one line per entry (MailLog's format, with `key` defined here):
 *
 *     DIGEST<TAB>KEY<TAB>SIZE<TAB>NAME      a regular file
 *     link<TAB>KEY<TAB>TARGET<TAB>NAME      a symbolic link (not followed)
 *     warn<TAB>MESSAGE                      a file or directory that could not be read
 *
 * DIGEST is the file's MD5 (or SHA-256) in base64 without padding, as Perl's b64digest. KEY is
 * `KIND:MODE:UID:GID`: KIND says how the first column was made (`md5`, `sha256`, or `link`), MODE
 * is the permission bits in four octal digits (set-uid, set-gid and sticky included), UID and GID
 * the numeric owner. The seed left `$digest_key` undefined; this makes each line self-describing
 * (a listing switched to `digest sha256` still compares) and catches what changes no content: a
 * set-uid bit added, a file given to another owner. NAME and TARGET are escaped (name-escape.ts),
 * so a name with tabs, newlines or bytes that are not UTF-8 round-trips.
 */
import { algorithmOf, type DigestAlgorithm } from './digest.js';
import { escapeName, NameSyntaxError, unescapeName } from './name-escape.js';

/** Mode, owner and group of a listed file or link. */
export interface Ownership {
  /** Permission bits, `st_mode & 0o7777`. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

/** One line of a listing. `key` is kept verbatim when it is not of rulec's form (a MailLog listing's). */
export type ListingEntry =
  | {
      readonly kind: 'file';
      readonly name: Buffer;
      readonly digest: string;
      readonly algorithm: DigestAlgorithm;
      readonly size: number;
      readonly owner: Ownership | null;
      readonly key: string;
    }
  | { readonly kind: 'link'; readonly name: Buffer; readonly target: Buffer; readonly owner: Ownership | null; readonly key: string }
  | { readonly kind: 'warn'; readonly message: string };

/** The KEY column for a file or link. */
export function formatKey(kind: DigestAlgorithm | 'link', owner: Ownership): string {
  return `${kind}:${owner.mode.toString(8).padStart(4, '0')}:${owner.uid}:${owner.gid}`;
}

/** A regular file's line, without its newline. */
export function fileLine(name: Uint8Array, digest: string, algorithm: DigestAlgorithm, size: number, owner: Ownership): string {
  return `${digest}\t${formatKey(algorithm, owner)}\t${size}\t${escapeName(name)}`;
}

/** A symbolic link's line. */
export function linkLine(name: Uint8Array, target: Uint8Array, owner: Ownership): string {
  return `link\t${formatKey('link', owner)}\t${escapeName(target)}\t${escapeName(name)}`;
}

/** A warning's line; `message` must already be escaped (no tab or newline in it). */
export function warnLine(message: string): string {
  return `warn\t${message}`;
}

const KEY = /^(md5|sha256|link):([0-7]{4}):(\d+):(\d+)$/;

function parseKey(key: string): { kind: string; owner: Ownership } | null {
  const m = KEY.exec(key);
  if (m === null) return null;
  return { kind: m[1]!, owner: { mode: parseInt(m[2]!, 8), uid: Number(m[3]), gid: Number(m[4]) } };
}

/** A line that is not a listing line: its 1-based number and why. */
export interface ListingProblem {
  readonly line: number;
  readonly message: string;
}

/** Reads a listing; lines it cannot read are returned as problems, never guessed at. Blank lines are skipped. */
export function parseListing(text: string): { entries: ListingEntry[]; problems: ListingProblem[] } {
  const entries: ListingEntry[] = [];
  const problems: ListingProblem[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') return;
    try {
      entries.push(parseLine(line));
    } catch (error) {
      if (!(error instanceof ListingSyntaxError || error instanceof NameSyntaxError)) throw error;
      problems.push({ line: i + 1, message: error.message });
    }
  });
  return { entries, problems };
}

class ListingSyntaxError extends Error {}

function parseLine(line: string): ListingEntry {
  const tab1 = line.indexOf('\t');
  const first = tab1 < 0 ? line : line.slice(0, tab1);
  if (first === 'warn') return { kind: 'warn', message: tab1 < 0 ? '' : line.slice(tab1 + 1) };
  const tab2 = line.indexOf('\t', tab1 + 1);
  const tab3 = tab2 < 0 ? -1 : line.indexOf('\t', tab2 + 1);
  // The name is everything after the third tab: an old listing may hold a raw tab in it.
  if (tab1 < 0 || tab2 < 0 || tab3 < 0) throw new ListingSyntaxError('expected four tab-separated columns');
  const key = line.slice(tab1 + 1, tab2);
  const third = line.slice(tab2 + 1, tab3);
  const name = unescapeName(line.slice(tab3 + 1));
  const parsed = parseKey(key);
  if (first === 'link') {
    if (parsed !== null && parsed.kind !== 'link') throw new ListingSyntaxError(`a link line with key ${key}`);
    return { kind: 'link', name, target: unescapeName(third), owner: parsed?.owner ?? null, key };
  }
  const algorithm = algorithmOf(first);
  if (algorithm === null) throw new ListingSyntaxError(`\`${first.slice(0, 60)}\` is neither a base64 MD5 or SHA-256 digest, \`link\` nor \`warn\``);
  if (parsed !== null && parsed.kind !== algorithm) throw new ListingSyntaxError(`a ${algorithm} digest with key ${key}`);
  if (!/^\d+$/.test(third)) throw new ListingSyntaxError(`size \`${third.slice(0, 30)}\` is not a number`);
  return { kind: 'file', name, digest: first, algorithm, size: Number(third), owner: parsed?.owner ?? null, key };
}
