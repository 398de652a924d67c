/**
 * The Snort listener as a daemon service (runtime/daemon/services.ts): `rulec run` and bundles
 * serve a rule file's `snort` blocks beside its file items, in one process. Before the daemon
 * starts (and before `-d` leaves the terminal) every block's handlers are checked against what
 * the daemon can give them: a `repl` needs a terminal, a `json` handler without `file=` a
 * standard output of its own, a `mail` handler the rule file's mail settings.
 */
import type { RuleModule } from '../../contract.js';
import type { DaemonService, ServiceKind, ServiceStats } from '../../daemon/services.js';
import { handlerProblem } from '../../handlers/create-handler.js';
import { escapeControl } from '../../log/escape.js';
import { SnortService, type SnortBlockStats } from './snort-service.js';

/** Registered in `DAEMON_SERVICES`. */
export const SNORT_SERVICE: ServiceKind = {
  blocks: ['snort'],
  check(modules, surroundings) {
    const template = modules[0];
    const mail = template === undefined ? null : { settings: template.settings, baseDir: surroundings.baseDir, stateDir: template.engine.stateDir };
    return SnortService.blocksOf(modules).flatMap((block) =>
      block.handlers.flatMap((request) => {
        const problem = handlerProblem(request, { output: surroundings.output, terminal: surroundings.terminal, mail });
        return problem === null ? [] : [`snort block on ${escapeControl(block.logdir)}: ${problem}`];
      }),
    );
  },
  create(context): DaemonService {
    const service = new SnortService(context);
    return {
      name: service.name,
      start: (modules: readonly RuleModule[]) => service.start(modules),
      replace: (modules: readonly RuleModule[]) => service.replace(modules),
      stop: () => service.stop(),
      stats: () => summary(service.name, service.stats()),
    };
  },
};

/** All blocks' counters as one service's. */
function summary(name: string, blocks: readonly SnortBlockStats[]): ServiceStats {
  const sum = (pick: (s: SnortBlockStats) => number): number => blocks.reduce((n, s) => n + pick(s), 0);
  const handlers = blocks.flatMap((s) => s.handlers);
  return {
    name,
    counts: {
      'datagram(s) received': sum((s) => s.received),
      'alert(s)': sum((s) => s.decoded),
      bad: sum((s) => s.bad),
      'dropped while behind': sum((s) => s.behind),
      'handler failure(s)': handlers.reduce((n, h) => n + h.failed + h.dropped, 0),
    },
    items: blocks.flatMap((s) => s.rules),
  };
}
