/**
 * `every` digests: in `rulec run`, a `watch` block with `every DURATION` mails the unusual lines
 * its log got in each period as one encrypted mail, through the report mailer (runtime/report:
 * the rule file's `set` settings, keys proved at the start, the spool when the server cannot
 * take it). A period with no unusual line sends nothing.
 *
 * The read position is the watch's own (watch-position.ts), saved once the digest was accepted
 * or spooled, so a lost mail loses no line: the next digest reads it again. The first start
 * without a saved position begins at the log's end, as a daemon's reader does, and saves that
 * position at once: what is written while rulec is stopped comes in the next digest. Watch
 * blocks with `every` are rulec run's: rulec report leaves them out.
 */
import type { Clock, TimerHandle } from '../../clock/clock.js';
import type { RuleModule } from '../../contract.js';
import type { DaemonService, ServiceContext, ServiceKind, ServiceStats } from '../../daemon/services.js';
import { escapeControl } from '../../log/escape.js';
import type { Logger } from '../../log/logger.js';
import { BodyBuffer } from '../../report/body-buffer.js';
import { builtinEntry } from '../../report/builtin-entries.js';
import type { ReportEntry } from '../../report/report-entry.js';
import { Reporter } from '../../report/reporter.js';
import { isDigestBlock, type WatchBlock } from './watch-entry.js';
import { startPosition } from './watch-scan.js';
import { watchStateDir, WatchPositions } from './watch-position.js';

/** The settings a digest cannot be mailed without. */
const NEEDED = ['to', 'pgp', 'smtp'] as const;
/** The subject of a digest when the rule file sets none: no log text, as every report subject. */
export const DIGEST_SUBJECT = 'rulec: unusual lines from {host}, {date} {time}';
/** How long a stopping daemon waits for a digest on its way. */
const STOP_WAIT_MS = 10_000;

/** Registered in `DAEMON_SERVICES`. */
export const WATCH_DIGEST_SERVICE: ServiceKind = {
  blocks: ['watch'],
  serves: isDigestBlock,
  check(modules) {
    return modules.flatMap((module) => {
      const blocks = module.blocks.filter(isDigestBlock);
      const missing = NEEDED.filter((key) => !Object.hasOwn(module.settings, key) || module.settings[key]!.trim() === '');
      if (blocks.length === 0 || missing.length === 0) return [];
      const logs = blocks.map((block) => escapeControl(block.logfile)).join(', ');
      return [`watch block on ${logs} has \`every\`, which mails digests: ${module.name} needs ${missing.map((key) => `\`set ${key}\``).join(', ')} (R367)`];
    });
  },
  create: (context) => new WatchDigests(context),
};

/** One block's digests. */
interface Digest {
  readonly key: string;
  block: WatchBlock & { readonly every: number };
  reporter: Reporter;
  /** Its place among the module's report blocks, for the default attachment name. */
  index: number;
  module: RuleModule;
  timer: TimerHandle | null;
  running: Promise<void> | null;
}

/** The `every` digests of a daemon's rule set. */
export class WatchDigests implements DaemonService {
  readonly name = 'watch digests';
  private digests = new Map<string, Digest>();
  private stopped = false;
  private readonly counts = { 'digest(s) mailed': 0, 'period(s) without unusual lines': 0, 'digest(s) failed': 0 };

  constructor(private readonly context: Pick<ServiceContext, 'log' | 'clock' | 'baseDir'>) {}

  async start(modules: readonly RuleModule[]): Promise<void> {
    await this.replace(modules);
  }

  /** Opens every digest's mailer first (a setting or key that cannot be used rejects, and nothing changes); then swaps. */
  async replace(modules: readonly RuleModule[]): Promise<void> {
    const next = new Map<string, Omit<Digest, 'timer' | 'running'>>();
    const reporters = new Map<RuleModule, Reporter>();
    for (const module of modules) {
      let index = 0;
      for (const block of module.blocks) {
        if (block.kind === 'command' || block.kind === 'monitor' || block.kind === 'watch' || block.kind === 'custom') index += 1;
        if (!isDigestBlock(block)) continue;
        let reporter = reporters.get(module);
        if (reporter === undefined) reporters.set(module, (reporter = await this.openReporter(module)));
        const key = `${block.logfile}\0${block.mimeFile ?? index}`;
        next.set(key, { key, block, reporter, index, module });
      }
    }
    for (const [key, digest] of this.digests) {
      const kept = next.get(key);
      if (kept !== undefined && kept.block.every === digest.block.every) continue;
      if (digest.timer !== null) this.context.clock.cancel(digest.timer);
      this.digests.delete(key);
    }
    for (const [key, fresh] of next) {
      const running = this.digests.get(key);
      if (running !== undefined) {
        // Same log, name and period: the next digest comes when it would have, with the new rules.
        Object.assign(running, fresh);
        continue;
      }
      const digest: Digest = { ...fresh, timer: null, running: null };
      this.digests.set(key, digest);
      this.beginAtEnd(digest);
      this.arm(digest);
      this.context.log.info(null, `watch ${escapeControl(digest.block.logfile)}: a digest of its unusual lines every ${digest.block.every} s`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const digest of this.digests.values()) {
      if (digest.timer !== null) this.context.clock.cancel(digest.timer);
      digest.timer = null;
      if (digest.running !== null) running.push(digest.running);
    }
    if (running.length === 0) return;
    // A digest not finished by then is not committed: its lines come again in the next one.
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running), new Promise<void>((done) => (timeout = setTimeout(done, STOP_WAIT_MS)))]);
    clearTimeout(timeout);
  }

  stats(): ServiceStats {
    return { name: this.name, counts: { ...this.counts }, items: [] };
  }

  private async openReporter(module: RuleModule): Promise<Reporter> {
    const settings = { ...module.settings, subject: module.settings.subject ?? DIGEST_SUBJECT };
    const log = this.context.log;
    try {
      return await Reporter.open({ settings, baseDir: this.context.baseDir, stateDir: module.engine.stateDir, dryRun: false, log: (line) => log.warn(null, `digest: ${line}`) });
    } catch (error) {
      throw new Error(`the watch digests of ${module.name} cannot be mailed: ${(error as Error).message}`);
    }
  }

  /** A block never read before starts where its log ends now (see the file comment). */
  private beginAtEnd(digest: Digest): void {
    const positions = new WatchPositions(watchStateDir(digest.module.engine.stateDir));
    const name = this.entry(digest).mime_file;
    const { position } = positions.load(digest.block.logfile, name);
    if (position !== null) return;
    try {
      const start = startPosition(digest.block.logfile);
      if (start !== null) positions.save(digest.block.logfile, name, start);
    } catch (error) {
      this.context.log.warn(null, `watch ${escapeControl(digest.block.logfile)}: cannot save where its digests begin: ${(error as Error).message}`);
    }
  }

  private arm(digest: Digest): void {
    const clock: Clock = this.context.clock;
    digest.timer = clock.setTimer(clock.now() + digest.block.every * 1000, () => {
      digest.timer = null;
      if (this.stopped || this.digests.get(digest.key) !== digest) return;
      digest.running = this.send(digest).finally(() => {
        digest.running = null;
        if (!this.stopped && this.digests.get(digest.key) === digest) this.arm(digest);
      });
    });
  }

  private entry(digest: Digest): ReportEntry {
    const { module, block, reporter, index } = digest;
    const log: Logger = this.context.log;
    return builtinEntry(block, {
      kind: 'watch',
      index,
      directives: [],
      settings: module.settings,
      host: reporter.mail.host,
      baseDir: this.context.baseDir,
      stateDir: module.engine.stateDir,
      debug: (line) => log.debug(null, `digest: ${line}`),
    });
  }

  /** One digest: the period's unusual lines, mailed when there are any; the position committed either way. */
  private async send(digest: Digest): Promise<void> {
    const log = this.context.log;
    const what = `watch ${escapeControl(digest.block.logfile)}`;
    const entry = this.entry(digest);
    try {
      await entry.validate();
      const body = new BodyBuffer();
      await entry.run(body);
      const bytes = body.bytes();
      if (bytes.length === 0) {
        await entry.finish();
        this.counts['period(s) without unusual lines']++;
        return;
      }
      const prepared: ReportEntry = {
        mime_file: entry.mime_file,
        description: entry.description,
        validate: () => {},
        run: (out) => out.print(bytes),
        finish: () => entry.finish(),
        encrypted: () => true,
      };
      const result = await digest.reporter.report([prepared]);
      if (result.spooled !== null) {
        this.counts['digest(s) failed']++;
        log.warn(null, `${what}: the digest was spooled (${result.spooled}); the next one sends it first`);
      } else {
        this.counts['digest(s) mailed']++;
        log.info(null, `${what}: digest mailed (${bytes.length} bytes)`);
      }
    } catch (error) {
      this.counts['digest(s) failed']++;
      log.error(null, `${what}: digest failed, its lines come in the next one: ${(error as Error).message}`);
    }
  }
}
