/**
 * `rulec monitor FILE.rules` prints the listing of the file's `monitor` blocks now;
 * `rulec monitor --check PRIOR FILE` lists what differs from the listing PRIOR: FILE is a newer
 * listing (`-`: standard input, e.g. `gpg -d monitor.txt.asc | rulec monitor --check prior -`)
 * or a rule file, whose monitor blocks are scanned now with PRIOR's digest algorithm. Exit 1
 * when anything differs (MailLog's `--check`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../compiler/api.js';
import {
  algorithmOf,
  compareListings,
  differenceLine,
  escapeControl,
  monitorSettings,
  parseListing,
  runMonitor,
  type DigestAlgorithm,
  type ListingEntry,
} from '../../runtime/index.js';
import { parseCommandArgs } from '../args.js';
import { endWhenStdoutCloses, readsProcessStdin, UsageError, type Command, type Io } from '../command.js';
import { loadRuleFile } from '../load-rules.js';

const isRuleFile = (name: string): boolean => name.endsWith('.rules');

async function readText(name: string, io: Io): Promise<string> {
  try {
    if (name !== '-') return readFileSync(resolve(io.cwd, name), 'utf8');
    if (readsProcessStdin(io)) return readFileSync(0, 'utf8');
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    throw new UserError(`cannot read ${name}: ${(error as Error).message}`);
  }
}

/** A listing file's entries; a line it cannot read stops the comparison (exit 2) rather than being guessed. */
async function readListing(name: string, io: Io): Promise<ListingEntry[]> {
  const { entries, problems } = parseListing(await readText(name, io));
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => `${name}:${p.line}: ${escapeControl(p.message)}`);
    const more = problems.length > 5 ? `\n(${problems.length - 5} more)` : '';
    throw new UserError(`not a monitor listing:\n${shown.join('\n')}${more}`);
  }
  return entries;
}

/** The listing of the monitor blocks of a rule file, scanned now. */
async function scanRuleFile(file: string, io: Io, algorithm?: DigestAlgorithm): Promise<string> {
  const loaded = await loadRuleFile(file, io);
  if (loaded.report !== '') io.err(loaded.report);
  if (loaded.module === null) throw new UserError(`${file} has errors`);
  const blocks = loaded.module.blocks.filter((block) => block.kind === 'monitor');
  if (blocks.length === 0) throw new UserError(`${file} has no monitor block`);
  let text = '';
  const out = { print: (chunk: string) => void (text += chunk) };
  for (const block of blocks) runMonitor(monitorSettings(block), out, { progress: true, ...(algorithm === undefined ? {} : { algorithm }) });
  return text;
}

/** The digest algorithm of a listing's first file line, so a rescan can be compared with it. */
function algorithmIn(entries: readonly ListingEntry[]): DigestAlgorithm | undefined {
  for (const entry of entries) if (entry.kind === 'file') return algorithmOf(entry.digest) ?? undefined;
  return undefined;
}

/** `rulec monitor`. */
export const monitorCommand: Command = {
  name: 'monitor',
  summary: "list a rule file's monitored trees with digests, or compare with a prior listing",
  usage: 'rulec monitor FILE.rules | rulec monitor --check PRIOR FILE.rules|LISTING|-',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'string' } });
    const prior = values.check;
    if (prior === undefined) {
      const [file, ...extra] = positionals;
      if (file === undefined || extra.length > 0) throw new UsageError('give one rule file (or --check PRIOR FILE)');
      if (!isRuleFile(file)) throw new UsageError(`${file} is not a .rules file`);
      endWhenStdoutCloses(io);
      io.out(await scanRuleFile(file, io));
      return 0;
    }
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0) throw new UsageError('--check PRIOR needs one FILE to compare with it');
    const before = await readListing(prior, io);
    const after = isRuleFile(file) ? parseListing(await scanRuleFile(file, io, algorithmIn(before))).entries : await readListing(file, io);
    const { differences, note } = compareListings(before, after);
    endWhenStdoutCloses(io);
    // A file the scan could not read shows as removed: say why beside it.
    for (const entry of after) if (entry.kind === 'warn') io.err(`rulec monitor: warning: ${entry.message}\n`);
    if (note !== null) io.err(`rulec monitor: ${note}\n`);
    io.out(differences.map((d) => `${differenceLine(d)}\n`).join(''));
    return differences.length > 0 ? 1 : 0;
  },
};
