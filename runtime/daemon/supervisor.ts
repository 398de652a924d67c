import type { ItemSpec, RuleModule, SourceSpec } from '../contract.js';
import type { ActionSink } from '../actions/action-sink.js';
import type { Clock } from '../clock/clock.js';
import { Engine } from '../engine/engine.js';
import type { ItemStats } from '../engine/item-state.js';
import type { Logger } from '../log/logger.js';
import {
  createCheckpointStore,
  DEFAULT_LINE_MAX,
  DEFAULT_ROTATE_WAIT,
  FileTailer,
  type Checkpoint,
  type CheckpointLoad,
  type CheckpointStore,
  type TailNotice,
} from '../sources/tail/index.js';

/** Where one followed path's lines go: an engine and the index of the source in its module. */
interface Route {
  readonly engine: Engine;
  readonly module: RuleModule;
  readonly sourceIndex: number;
}

/** How a path is read: what the most demanding item reading it needs. */
interface ReadSettings {
  readonly lineMax: number;
  readonly rotateWait: number;
}

/** One reader per path; its routes are swapped on reload while the reader keeps its position. */
interface Follow {
  readonly tailer: FileTailer;
  readonly settings: ReadSettings;
  /** A FIFO is read another way than a file: a reload that changes `file_type` starts a new reader. */
  readonly fileType: SourceSpec['fileType'];
  /** Where the reader's position goes, so one restarted with new settings resumes from it. */
  readonly handoff: HandoffStore;
  routes: readonly Route[];
  /** The file's size as last reported, handed to the engines of a reloaded rule set. */
  size: number | null;
}

/**
 * A reader's checkpoints, kept in memory and also in the state directory when there is one: a
 * reload that changes how a path is read (`line_max`, `rotate_wait`) restarts its reader, which
 * resumes exactly where the old one stopped even without a state directory.
 */
class HandoffStore implements CheckpointStore {
  private last: Checkpoint | null = null;

  constructor(private readonly durable: CheckpointStore | null) {}

  load(path: string): Promise<CheckpointLoad> {
    if (this.last !== null) return Promise.resolve({ value: this.last, problem: null });
    return this.durable?.load(path) ?? Promise.resolve({ value: null, problem: null });
  }

  save(path: string, checkpoint: Checkpoint): Promise<string | null> {
    this.last = checkpoint;
    return this.durable?.save(path, checkpoint) ?? Promise.resolve(null);
  }
}

/** What the supervisor needs from its surroundings. */
export interface SupervisorDeps {
  readonly clock: Clock;
  readonly actions: ActionSink;
  readonly log: Logger;
  /** Log every match at debug level (`-v`); costs a second match per candidate line. */
  readonly verbose?: boolean;
}

/** Characters of a matched line shown in a verbose log line. */
const VERBOSE_LINE_MAX = 500;

/**
 * Runs a set of rule modules live: one Engine per module, one FileTailer per distinct path
 * (items of several modules on one path share it), lines and sizes fanned out to every engine
 * reading that path. `replace` swaps the rule set while tailers of paths still in use keep
 * running, so no line is read twice or skipped across a reload.
 */
export class Supervisor {
  private engines: Engine[] = [];
  private readonly follows = new Map<string, Follow>();
  private checkpoints: CheckpointStore | null = null;
  private linesRead = 0;

  constructor(private readonly deps: SupervisorDeps) {}

  /** Starts engines and tailers for `modules`; call once, then `replace` for reloads. */
  async start(modules: readonly RuleModule[]): Promise<void> {
    const stateDir = modules.find((m) => m.engine.stateDir !== null)?.engine.stateDir ?? null;
    this.checkpoints = stateDir === null ? null : createCheckpointStore(stateDir);
    await this.replace(modules);
  }

  /** Swaps the running rule set for `modules`, keeping tailers of paths both sets read. */
  async replace(modules: readonly RuleModule[]): Promise<void> {
    const { clock, actions, log } = this.deps;
    const onMatch = this.deps.verbose === true ? (item: ItemSpec, line: string) => this.logMatch(item, line) : undefined;
    const engines = modules.map((module) => new Engine(module, { clock, actions, log, onMatch }));
    const wanted = new Map<string, { spec: SourceSpec; routes: Route[] }>();
    modules.forEach((module, m) => {
      module.sources.forEach((spec, sourceIndex) => {
        const entry = wanted.get(spec.path) ?? { spec, routes: [] };
        entry.routes.push({ engine: engines[m]!, module, sourceIndex });
        wanted.set(spec.path, entry);
      });
    });

    for (const engine of this.engines) engine.stop();
    this.engines = engines;
    for (const engine of engines) engine.start();

    const stopping: Promise<void>[] = [];
    const restarting = new Map<string, Follow>();
    for (const [path, follow] of this.follows) {
      const entry = wanted.get(path);
      if (entry === undefined) {
        this.follows.delete(path);
        stopping.push(follow.tailer.stop());
        this.deps.log.info(null, `stopped following ${path}`);
        continue;
      }
      const settings = readSettings(entry.routes);
      if (settings.lineMax !== follow.settings.lineMax || settings.rotateWait !== follow.settings.rotateWait || entry.spec.fileType !== follow.fileType) {
        // The reader's cut, grace period and way of reading are fixed when it starts: a new one takes over.
        this.follows.delete(path);
        stopping.push(follow.tailer.stop());
        restarting.set(path, follow);
        continue;
      }
      follow.routes = entry.routes;
      primeSizes(entry.routes, follow.size);
    }
    await Promise.all(stopping);

    const starting: Promise<void>[] = [];
    for (const [path, entry] of wanted) {
      if (this.follows.has(path)) continue;
      const before = restarting.get(path);
      // The position goes along to a reader of the other kind too: a FIFO reader takes none, and
      // one back on a file resumes where the last file reader was (it checks it is that file).
      const sameType = before?.fileType === entry.spec.fileType;
      const follow = this.follow(path, entry.spec, readSettings(entry.routes), before?.handoff ?? new HandoffStore(this.checkpoints));
      follow.routes = entry.routes;
      if (before !== undefined && sameType) {
        follow.size = before.size;
        primeSizes(entry.routes, before.size);
        this.deps.log.info(null, `reading ${path} again with line_max ${follow.settings.lineMax} and rotate_wait ${follow.settings.rotateWait} s`);
      } else if (before !== undefined) {
        this.deps.log.info(null, `reading ${path} again as a ${entry.spec.fileType === 'fifo' ? 'FIFO' : 'file'}`);
      }
      this.follows.set(path, follow);
      starting.push(follow.tailer.start());
    }
    await Promise.all(starting);
  }

  /** Stops every tailer (saving checkpoints) and every engine's timers. */
  async stop(): Promise<void> {
    const tailers = [...this.follows.values()].map((f) => f.tailer.stop());
    this.follows.clear();
    await Promise.all(tailers);
    for (const engine of this.engines) engine.stop();
  }

  /** Lines delivered by all tailers since start, and per-item counters of the current rule set. */
  stats(): { linesRead: number; items: ItemStats[] } {
    return { linesRead: this.linesRead, items: this.engines.flatMap((e) => e.stats().items) };
  }

  private follow(path: string, spec: SourceSpec, settings: ReadSettings, handoff: HandoffStore): Follow {
    const follow: Follow = {
      routes: [],
      size: null,
      settings,
      fileType: spec.fileType,
      handoff,
      tailer: new FileTailer(
        { path, start: spec.start, fileType: spec.fileType, ...settings, checkpoint: handoff },
        {
          lines: (lines, info) => {
            this.linesRead += lines.length;
            for (const route of follow.routes) route.engine.onLines(route.sourceIndex, lines, info.ascii, info.cut);
          },
          size: (bytes) => {
            follow.size = bytes;
            for (const route of follow.routes) route.engine.onSize(route.sourceIndex, bytes);
          },
          notice: (event) => this.notice(event),
        },
      ),
    };
    return follow;
  }

  /** `-v`: a line an item matched, as the engine matched it (cut at the item's line_max). */
  private logMatch(item: ItemSpec, line: string): void {
    // An item without a regex "matches" every line: logging each says nothing.
    if (item.everyLine === true) return;
    const shown = line.length > VERBOSE_LINE_MAX ? `${line.slice(0, VERBOSE_LINE_MAX)}…(${line.length} chars)` : line;
    this.deps.log.debug(item.name, `matched: ${shown}`);
  }

  private notice(event: TailNotice): void {
    const log = this.deps.log;
    switch (event.kind) {
      case 'missing':
        log.warn(null, `${event.path} does not exist yet; waiting for it`);
        break;
      case 'opened':
        log.info(null, `following ${event.path} from offset ${event.offset}`);
        break;
      case 'resumed':
        log.info(null, `resumed ${event.path} at checkpoint offset ${event.offset}`);
        break;
      case 'resumed-rotated':
        log.info(null, `resumed ${event.path} in its rotated file ${event.file} at offset ${event.offset}`);
        break;
      case 'returned':
        log.info(null, `the rotated ${event.path} is back at its path; following it on from offset ${event.offset}`);
        break;
      case 'checkpoint-stale':
        log.info(null, `checkpoint of ${event.path} not used: ${event.reason}`);
        break;
      case 'rotated':
        log.info(null, `${event.path} was ${event.reason}; reading the new file from the start`);
        break;
      case 'retired':
        log.info(null, `stopped reading the rotated ${event.path} (${event.bytesAfterRotation} bytes after rotation)`);
        break;
      case 'truncated':
        log.warn(null, `${event.path} was truncated from ${event.from} to ${event.to} bytes`);
        break;
      case 'line-cut':
        log.warn(null, `${event.path}: a line longer than ${event.lineMax} bytes was cut (${event.total} so far)`);
        break;
      case 'error':
        log.error(null, `${event.path}: ${event.message}`);
        break;
      default:
        // A notice kind added without a line here fails to compile.
        event satisfies never;
    }
  }
}

/** The widest cut and longest grace any item on the path asks for, over every module reading it. */
function readSettings(routes: readonly Route[]): ReadSettings {
  const items = routes.flatMap((r) => r.module.sources[r.sourceIndex]?.items.map((i) => r.module.items[i]!) ?? []);
  if (items.length === 0) return { lineMax: DEFAULT_LINE_MAX, rotateWait: DEFAULT_ROTATE_WAIT };
  return { lineMax: Math.max(...items.map((item) => item.lineMax)), rotateWait: Math.max(...items.map((item) => item.rotateWait)) };
}

/** Hands the size a path's file already had to the engines of a reloaded rule set. */
function primeSizes(routes: readonly Route[], size: number | null): void {
  if (size !== null) for (const route of routes) route.engine.primeSize(route.sourceIndex, size);
}
