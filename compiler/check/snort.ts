/**
 * The `snort` block: one listener on a log directory's alert sockets, its handlers, and its
 * rules over alerts as nested `rule NAME <<TAG` blocks whose directives are an item's keys
 * (`upbound_freq 20/60`, `src 10.0.0.0/8`, `upbound_action /sbin/block "$src"`). INI items with
 * `snort = LOGDIR` join the block on that directory (one with defaults is made when there is
 * none). Rules are read after `[general]` is known, by the same reader as items.
 */
import type { BlockStatement, CommandStatement, Entry, Section, Statement } from '../../grammar/ast.js';
import { SNORT_HANDLERS } from '../../runtime/contract.js';
import { handlerOptionProblem } from '../../runtime/index.js';
import { didYouMean } from '../did-you-mean.js';
import type { BlockModel, ItemModel } from '../model.js';
import { suggestion, wordValue } from './context.js';
import { blockCommands, missingMailSettings } from './mail-needed.js';
import type { CheckContext } from './context.js';
import { readBody, single } from './directives.js';
import { BLOCK_DIRECTIVES, ITEM_KEYS, type DirectiveSpec } from './keys.js';
import { cover } from './locate.js';
import { listOf } from './read-value.js';
import type { IndexedItem } from './sections.js';

type SnortBlock = Extract<BlockModel, { kind: 'snort' }>;

const VARIANTS = ['snort2', 'snort3', 'snort2-appid', 'snort3-appid', 'legacy'] as const;
const BYTE_ORDERS = ['native', 'little', 'big'] as const;
const RULE_DIRECTIVES: Readonly<Record<string, DirectiveSpec>> = Object.fromEntries(
  ITEM_KEYS.filter((key) => key !== 'snort').map((key) => [key, { min: 1, max: Infinity, repeatable: false, required: false }]),
);

/** A snort block's listener settings and handlers (its rules come later, from `attachRules`). */
export function checkSnort(ctx: CheckContext, block: BlockStatement): BlockModel | null {
  const body = readBody(ctx, { ...block, body: block.body.filter((s) => !isRuleBlock(s)) }, BLOCK_DIRECTIVES.snort, false);
  const choice = <T extends string>(name: string, choices: readonly T[], fallback: T): T => {
    const word = single(body, name);
    if (word === undefined) return fallback;
    const found = choices.find((c) => c === word.value);
    if (found !== undefined) return found;
    ctx.error('R321', `\`${name}\` must be ${listOf(choices)}, not \`${word.value}\``, ctx.at(wordValue(word)), { notes: suggestion(didYouMean(word.value, choices)) });
    return fallback;
  };
  const variant = choice('variant', VARIANTS, 'snort2');
  const byteOrder = choice('byte_order', BYTE_ORDERS, 'native');
  const threadsWord = single(body, 'threads');
  let threads = 1;
  if (threadsWord !== undefined) {
    if (/^[1-9]\d{0,2}$/.test(threadsWord.value)) threads = Number(threadsWord.value);
    else ctx.error('R321', '`threads` must be a whole number from 1 to 999 (Snort 3 packet threads)', ctx.at(wordValue(threadsWord)));
  }
  const handlers = (body.directives.get('handler') ?? []).map((line) => readHandler(ctx, line));
  const logdir = single(body, 'logdir');
  if (logdir === undefined) return null;
  return {
    kind: 'snort',
    span: block.span,
    logdir: logdir.value,
    variant,
    byteOrder,
    threads,
    classificationConfig: single(body, 'classification_config')?.value ?? null,
    handlers,
    rules: [],
  };
}

function readHandler(ctx: CheckContext, line: CommandStatement): { name: string; options: Record<string, string> } {
  const [name, ...options] = line.args;
  const handler = name?.value ?? '';
  const allowed: readonly string[] | undefined = Object.hasOwn(SNORT_HANDLERS, handler) ? SNORT_HANDLERS[handler as keyof typeof SNORT_HANDLERS] : undefined;
  if (name !== undefined && allowed === undefined) {
    ctx.error('R355', `unknown handler \`${handler}\``, name.span, { notes: suggestion(didYouMean(handler, Object.keys(SNORT_HANDLERS))) });
  }
  const parsed: Record<string, string> = {};
  for (const option of options) {
    const equals = option.value.indexOf('=');
    if (equals <= 0) {
      ctx.error('R318', `handler option \`${option.value}\` must be key=value`, ctx.at(wordValue(option)));
      continue;
    }
    const key = option.value.slice(0, equals);
    if (allowed !== undefined && !allowed.includes(key)) {
      ctx.error('R355', `handler \`${handler}\` has no option \`${key}\``, ctx.at(wordValue(option), 0, equals), { notes: suggestion(didYouMean(key, allowed)) });
    } else if (allowed !== undefined) {
      const problem = handlerOptionProblem(handler as keyof typeof SNORT_HANDLERS, key, option.value.slice(equals + 1));
      if (problem !== null) ctx.error('R356', `handler \`${handler}\`: ${problem}`, ctx.at(wordValue(option), equals + 1));
    }
    Object.defineProperty(parsed, key, { value: option.value.slice(equals + 1), enumerable: true, writable: true, configurable: true });
  }
  if (handler === 'http' && !Object.hasOwn(parsed, 'url')) ctx.error('R355', 'handler `http` needs url=', line.span);
  return { name: handler, options: parsed };
}

/** R357: a `handler mail` in a rule file without the `set` settings it mails with. */
export function checkMailHandlers(ctx: CheckContext, statements: readonly Statement[], settings: Readonly<Record<string, string>>): void {
  const missing = missingMailSettings(settings);
  if (missing === null) return;
  for (const line of blockCommands(statements, 'snort', 'handler')) {
    if (line.args[0]?.value !== 'mail') continue;
    ctx.error('R357', `handler \`mail\` needs ${missing} in the rule file`, line.span, { notes: ['alerts are mailed encrypted as `rulec report` mails: see docs/report.md for the settings'] });
  }
}

function isRuleBlock(statement: BlockStatement['body'][number]): statement is BlockStatement {
  return statement.kind === 'block' && statement.name.value === 'rule';
}

/** The `rule` blocks of a snort block as items to read, each with `snort` set to the block's logdir. */
export function ruleItems(ctx: CheckContext, block: BlockStatement): IndexedItem[] {
  const logdirLine = block.body.find((s): s is CommandStatement => s.kind === 'command' && s.name.value === 'logdir');
  const logdir = logdirLine?.args[0];
  const items: IndexedItem[] = [];
  for (const rule of block.body.filter(isRuleBlock)) {
    const name = rule.args[0];
    if (name === undefined || rule.args.length > 1) {
      ctx.error('R318', '`rule` takes one argument, its name, before its <<' + rule.tag + ' body', rule.args.length > 1 ? cover(rule.args[1]!.span, rule.args.at(-1)!.span) : rule.name.span);
      if (name === undefined) continue;
    }
    const body = readBody(ctx, { ...rule, args: [] }, RULE_DIRECTIVES, false);
    const entries = new Map<string, Entry>();
    for (const [key, [line]] of body.directives) if (line !== undefined) entries.set(key, directiveEntry(ctx, key, line));
    if (logdir !== undefined) entries.set('snort', { kind: 'entry', key: 'snort', keySpan: rule.name.span, value: logdir.value, valueSpan: logdir.span, span: rule.name.span });
    const section: Section = { kind: 'section', name: name.value, nameSpan: name.span, implicit: false, entries: [...entries.values()], span: rule.span };
    items.push({ section, entries });
  }
  return items;
}

/** A directive as an INI entry: an action keeps its raw text (its own quoting), other values their words. */
function directiveEntry(ctx: CheckContext, key: string, line: CommandStatement): Entry {
  const first = line.args[0]!;
  const last = line.args.at(-1)!;
  const valueSpan = cover(first.span, last.span);
  const raw = key.endsWith('_action');
  const value = raw ? ctx.sourceText(valueSpan) : line.args.map((word) => word.value).join(' ');
  return { kind: 'entry', key, keySpan: line.name.span, value, valueSpan: raw || line.args.length > 1 ? valueSpan : first.span, span: line.span };
}

/**
 * Puts each Snort rule (an item with `alert`) into the snort block on its log directory, making
 * one with default settings where there is none; reports two blocks on one directory (R354).
 */
export function attachRules(ctx: CheckContext, blocks: BlockModel[], rules: readonly ItemModel[]): void {
  const byLogdir = new Map<string, SnortBlock>();
  blocks.forEach((block, i) => {
    if (block.kind !== 'snort') return;
    const first = byLogdir.get(block.logdir);
    if (first !== undefined) {
      ctx.error('R354', `a second \`snort\` block on ${block.logdir}`, block.span, { labels: [{ span: first.span, message: 'the first is here' }] });
      return;
    }
    const own: SnortBlock = { ...block, rules: [] };
    blocks[i] = own;
    byLogdir.set(block.logdir, own);
  });
  for (const rule of rules) {
    let block = byLogdir.get(rule.path);
    if (block === undefined) {
      block = { kind: 'snort', span: rule.span, logdir: rule.path, variant: 'snort2', handlers: [], rules: [] };
      blocks.push(block);
      byLogdir.set(rule.path, block);
    }
    (block.rules as ItemModel[]).push(rule);
  }
}
