/**
 * What a daemon runs of a rule set and what it leaves to other commands, said when it starts:
 * nothing in a rule file is ignored in silence. Items always run; a block runs when a service
 * serves its kind (services.ts), and is otherwise named with the command that runs it.
 */
import type { BlockSpec, RuleModule } from '../contract.js';
import { servesBlock, type ServiceKind } from './services.js';

type BlockKind = BlockSpec['kind'];

/**
 * The command that runs each kind of block the daemon does not. A kind added to the contract
 * must be given one here (the type says so); one a service starts serving stays listed for when
 * no service is configured.
 */
export const BLOCK_COMMANDS: Readonly<Record<BlockKind, string>> = {
  command: 'rulec report',
  monitor: 'rulec report',
  watch: 'rulec report',
  custom: 'rulec report',
  snort: 'rulec snort',
};

/** What a daemon makes of a rule set. */
export interface Coverage {
  readonly items: number;
  /** Blocks some service runs, by kind. */
  readonly served: ReadonlyMap<BlockKind, number>;
  /** Blocks no service runs, by kind. */
  readonly left: ReadonlyMap<BlockKind, number>;
}

/** Counts the items and blocks of `modules` that `services` run and those they leave. */
export function coverageOf(modules: readonly RuleModule[], services: readonly ServiceKind[]): Coverage {
  const serving = (block: BlockSpec): boolean => services.some((service) => servesBlock(service, block));
  const served = new Map<BlockKind, number>();
  const left = new Map<BlockKind, number>();
  for (const block of modules.flatMap((module) => module.blocks)) {
    const counts = serving(block) ? served : left;
    counts.set(block.kind, (counts.get(block.kind) ?? 0) + 1);
  }
  return { items: modules.reduce((n, module) => n + module.items.length, 0), served, left };
}

/** `3 item(s) and 1 snort block`: what runs, for the start line. */
export function describeServed(coverage: Coverage): string {
  return [`${coverage.items} item(s)`, ...blockCounts(coverage.served)].join(' and ');
}

/**
 * One line per command that runs blocks this daemon leaves: `2 watch blocks and 1 command block
 * are not run here: rulec report runs them`. Empty when nothing is left.
 */
export function describeLeft(coverage: Coverage): string[] {
  const byCommand = new Map<string, Map<BlockKind, number>>();
  for (const [kind, count] of coverage.left) {
    const command = BLOCK_COMMANDS[kind];
    byCommand.set(command, (byCommand.get(command) ?? new Map<BlockKind, number>()).set(kind, count));
  }
  return [...byCommand].map(([command, kinds]) => {
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    return `${blockCounts(kinds).join(' and ')} ${total === 1 ? 'is' : 'are'} not run here: ${command} runs ${total === 1 ? 'it' : 'them'}`;
  });
}

/** True when the daemon would have nothing to do. */
export function nothingToRun(coverage: Coverage): boolean {
  return coverage.items === 0 && coverage.served.size === 0;
}

function blockCounts(kinds: ReadonlyMap<BlockKind, number>): string[] {
  return [...kinds].map(([kind, count]) => `${count} ${kind} block${count === 1 ? '' : 's'}`);
}
