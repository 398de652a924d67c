/**
 * `realtime yes`: in `rulec run`, a monitor block's trees are watched (chokidar: inotify on
 * Linux) and each change is reported as it happens, like a real-time integrity monitor. When it
 * starts, the block takes a baseline: the same walk and digests as its listing, in slices, so the
 * daemon goes on reading its logs meanwhile. Then each event on a file or link is looked at once
 * it has settled (SETTLE_MS without another on that path): the path is listed again as the
 * listing would list it and compared with the baseline (compare.ts), so a change says what
 * changed (`content`, `size 10 -> 12`, `mode 0644 -> 4755`, `target a -> b`), and a touch that
 * changes nothing reports nothing. Each difference is one line, as `rulec monitor --check`
 * prints it, in the daemon's log and, with `action`, run as an item's action: `$0` the line,
 * `$1`/`$change` added, removed or changed, `$2`/`$path` the file (escaped as in a listing).
 *
 * Links are watched as links, never followed; a directory on another file system is not entered
 * unless `cross_filesystems yes`. Names are as Node decodes them: a name that is not UTF-8 may be
 * seen as removed and added.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import type { ActionSpec, BlockSpec, ItemSpec, RuleModule } from '../../contract.js';
import type { DaemonService, ServiceContext, ServiceKind, ServiceStats } from '../../daemon/services.js';
import { compareListings, differenceLine, type Difference } from './compare.js';
import { parseListing, type ListingEntry } from './listing.js';
import { monitorSettings } from './index.js';
import type { MonitorSettings } from './monitor-block.js';
import { scanTrees, scanTreesSliced } from './scan-tree.js';

type MonitorBlock = Extract<BlockSpec, { readonly kind: 'monitor' }>;

/** Quiet time on a path before it is looked at: a file written in pieces is reported once. */
const SETTLE_MS = 200;
/** A path never quiet for SETTLE_MS (written to without a pause) is looked at this long after its first event. */
const SETTLE_MAX_MS = 2_000;
/** Changes reported per path per minute at most; past it they are counted (a file rewritten in a loop). */
const PER_PATH_PER_MINUTE = 30;

/** Registered in `DAEMON_SERVICES`. */
export const REALTIME_MONITOR_SERVICE: ServiceKind = {
  blocks: ['monitor'],
  serves: (block) => block.kind === 'monitor' && block.realtime === true,
  create: (context) => new RealtimeMonitors(context),
};

/** A baseline entry's key: the name's bytes as latin1, as compare.ts keys them. */
const keyOf = (name: Buffer): string => name.toString('latin1');

/** The item a block's actions run as: its name in the own log, its queue, its action timeout. */
function monitorItem(block: MonitorBlock): ItemSpec {
  return {
    name: `monitor ${block.mimeFile ?? block.dirs.join(' ')}`,
    path: block.dirs[0] ?? '',
    fileType: 'file',
    start: 'end',
    match: () => null,
    groupCount: 2,
    upbound: null,
    upboundAction: null,
    downbound: null,
    downboundAction: null,
    key: { kind: 'none' },
    maxKeys: 1,
    size: null,
    sizeAction: null,
    clock: 'arrival',
    timestamp: { format: 'auto' },
    lineMax: 0,
    rotateWait: 0,
    actionTimeout: 60,
  };
}

/** One realtime block. */
class RealtimeMonitor {
  private watcher: FSWatcher | null = null;
  private readonly baseline = new Map<string, ListingEntry>();
  private ready = false;
  private stopped = false;
  /** Paths with an event waiting to settle, and the paths that came in before the baseline was taken. */
  private readonly settling = new Map<string, NodeJS.Timeout>();
  private readonly early = new Set<string>();
  private readonly recent = new Map<string, number[]>();
  private readonly noisy = new Set<string>();
  /** When the first of a path's unsettled events came. */
  private readonly firstEvent = new Map<string, number>();
  private item: ItemSpec;
  readonly counts = { changes: 0, suppressed: 0 };

  constructor(
    private block: MonitorBlock,
    private readonly settings: MonitorSettings,
    private readonly context: Pick<ServiceContext, 'log' | 'actions'>,
  ) {
    this.item = monitorItem(block);
  }

  /** What makes two blocks watch the same way: a reload keeps such a watcher. */
  static identity(block: MonitorBlock): string {
    const s = monitorSettings(block);
    return JSON.stringify([s.dirs, s.digest, s.crossFilesystems]);
  }

  /** The block's action may change on a reload; the watcher and baseline stay. */
  swap(block: MonitorBlock): void {
    this.block = block;
    this.item = monitorItem(block);
  }

  start(): void {
    const roots = this.settings.dirs.map((dir) => (dir.length > 1 ? dir.replace(/\/+$/, '') : dir));
    const devs = new Set<number>();
    // A root that is a link is followed (as the listing follows it): watched where it leads,
    // its events named under the root as written.
    const real = new Map<string, string>();
    for (const root of roots) {
      try {
        const target = realpathSync(root);
        if (target !== root) real.set(target, root);
        devs.add(lstatSync(target).dev);
      } catch (error) {
        this.context.log.warn(null, `${this.name}: cannot watch ${root}: ${(error as Error).message}`);
      }
    }
    const named = (path: string): string => {
      for (const [target, root] of real) if (path === target || path.startsWith(`${target}/`)) return root + path.slice(target.length);
      return path;
    };
    const crossing = this.settings.crossFilesystems;
    this.watcher = watch([...roots.map((root) => [...real].find(([, r]) => r === root)?.[0] ?? root)], {
      ignoreInitial: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
      alwaysStat: false,
      ignored: (_path, stats) => !crossing && stats !== undefined && stats.isDirectory() && !devs.has(stats.dev),
    });
    const event = (path: string): void => this.event(named(path));
    this.watcher.on('add', event).on('change', event).on('unlink', event);
    this.watcher.on('unlinkDir', (path) => this.directoryGone(named(path)));
    this.watcher.on('error', (error) => this.context.log.error(null, `${this.name}: ${(error as Error).message}`));
    this.watcher.on('ready', () => void this.takeBaseline());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
    await this.watcher?.close();
  }

  private get name(): string {
    return this.item.name;
  }

  private async takeBaseline(): Promise<void> {
    const stats = await scanTreesSliced(
      { dirs: this.settings.dirs, algorithm: this.settings.digest, crossFilesystems: this.settings.crossFilesystems },
      (line) => this.remember(line),
      () => this.stopped,
    );
    if (stats === null) return;
    this.ready = true;
    this.context.log.info(null, `${this.name}: watching ${stats.files} file(s) and ${stats.links} link(s) for changes`);
    for (const path of this.early) this.event(path);
    this.early.clear();
  }

  private remember(line: string): void {
    const entry = parseListing(line).entries[0];
    if (entry !== undefined && entry.kind !== 'warn') this.baseline.set(keyOf(entry.name), entry);
  }

  private event(path: string): void {
    if (this.stopped) return;
    if (!this.ready) return void this.early.add(path);
    const now = Date.now();
    const first = this.firstEvent.get(path) ?? now;
    this.firstEvent.set(path, first);
    const waiting = this.settling.get(path);
    if (waiting !== undefined) clearTimeout(waiting);
    this.settling.set(
      path,
      setTimeout(() => {
        this.settling.delete(path);
        this.firstEvent.delete(path);
        if (!this.stopped) this.examine(path);
      }, Math.max(0, Math.min(SETTLE_MS, first + SETTLE_MAX_MS - now))),
    );
  }

  /** A directory went: what the baseline held under it and no event removed is removed too. */
  private directoryGone(path: string): void {
    const prefix = keyOf(Buffer.from(`${path}/`));
    for (const key of this.baseline.keys()) if (key.startsWith(prefix)) this.event(Buffer.from(key, 'latin1').toString());
  }

  /** Lists `path` again and reports how it differs from the baseline. */
  private examine(path: string): void {
    const name = Buffer.from(path);
    const key = keyOf(name);
    const before = this.baseline.get(key);
    let now: ListingEntry | undefined;
    let exists = true;
    try {
      lstatSync(name);
    } catch {
      exists = false;
    }
    if (exists) {
      scanTrees({ dirs: [path], algorithm: this.settings.digest, crossFilesystems: this.settings.crossFilesystems, entries: true }, (line) => {
        const entry = parseListing(line).entries[0];
        if (entry?.kind === 'warn') this.context.log.warn(null, `${this.name}: ${entry.message}`);
        else if (entry !== undefined) now = entry;
      });
    }
    // Neither before nor now (a FIFO, a directory, a file gone before it was looked at): nothing to say.
    if (now === undefined) this.baseline.delete(key);
    else this.baseline.set(key, now);
    const { differences } = compareListings(before === undefined ? [] : [before], now === undefined ? [] : [now]);
    for (const difference of differences) this.report(difference);
  }

  private report(difference: Difference): void {
    const line = differenceLine(difference);
    const path = line.split('\t')[1]!;
    if (!this.allowed(path)) return;
    this.counts.changes++;
    this.context.log.info(null, `${this.name}: ${line}`);
    const spec: ActionSpec | null | undefined = this.block.action;
    if (spec === null || spec === undefined) return;
    this.context.actions.submit({ item: this.item, kind: 'change', spec, captures: [line, difference.change, path], line, env: {} });
  }

  /** At most PER_PATH_PER_MINUTE reports a minute per path; past it they are counted, and said once. */
  private allowed(path: string): boolean {
    const now = Date.now();
    const times = (this.recent.get(path) ?? []).filter((t) => now - t < 60_000);
    if (times.length >= PER_PATH_PER_MINUTE) {
      this.counts.suppressed++;
      if (!this.noisy.has(path)) {
        this.noisy.add(path);
        this.context.log.warn(null, `${this.name}: ${path} changed more than ${PER_PATH_PER_MINUTE} times in a minute; its changes are counted, not reported, until it calms down`);
      }
      this.recent.set(path, times);
      return false;
    }
    this.noisy.delete(path);
    times.push(now);
    this.recent.set(path, times);
    // Bounded memory whatever the tree does: forgetting the counts only lets reports through.
    if (this.recent.size > 10_000) this.recent.clear();
    return true;
  }
}

/** The realtime monitor blocks of a daemon's rule set. */
export class RealtimeMonitors implements DaemonService {
  readonly name = 'realtime monitor';
  private running = new Map<string, RealtimeMonitor>();
  private readonly finished = { changes: 0, suppressed: 0 };

  constructor(private readonly context: Pick<ServiceContext, 'log' | 'actions'>) {}

  async start(modules: readonly RuleModule[]): Promise<void> {
    await this.replace(modules);
  }

  /** Keeps the watcher and baseline of a block that watches as before; starts and stops the rest. */
  async replace(modules: readonly RuleModule[]): Promise<void> {
    const wanted = new Map<string, MonitorBlock>();
    for (const block of modules.flatMap((module) => module.blocks)) {
      if (block.kind === 'monitor' && block.realtime === true) wanted.set(RealtimeMonitor.identity(block), block);
    }
    const stopping: Promise<void>[] = [];
    for (const [identity, monitor] of this.running) {
      if (wanted.has(identity)) continue;
      this.running.delete(identity);
      this.finished.changes += monitor.counts.changes;
      this.finished.suppressed += monitor.counts.suppressed;
      stopping.push(monitor.stop());
    }
    await Promise.all(stopping);
    for (const [identity, block] of wanted) {
      const running = this.running.get(identity);
      if (running !== undefined) {
        running.swap(block);
        continue;
      }
      const monitor = new RealtimeMonitor(block, monitorSettings(block), this.context);
      this.running.set(identity, monitor);
      monitor.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((monitor) => monitor.stop()));
  }

  stats(): ServiceStats {
    const all = [...this.running.values()];
    return {
      name: this.name,
      counts: {
        'change(s) reported': this.finished.changes + all.reduce((n, m) => n + m.counts.changes, 0),
        'change(s) not reported (too frequent)': this.finished.suppressed + all.reduce((n, m) => n + m.counts.suppressed, 0),
      },
      items: [],
    };
  }
}
