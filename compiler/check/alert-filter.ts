/**
 * The conditions of a rule over Snort alerts. Each takes a list of values separated by commas or
 * blanks; a value prefixed with `!` refuses instead of accepting (Snort's own negation). An
 * alert passes a condition when it matches any accepted value (or none are given) and no refused
 * one; it matches the rule when it passes every condition the rule sets.
 *
 * | key | values |
 * | --- | --- |
 * | `msg` | a regex on the alert's message (Perl/PCRE syntax, as `regex`) |
 * | `gid`, `sid`, `rev`, `priority` | numbers or ranges `N-M` |
 * | `classification` | class names from classification.config, or numbers |
 * | `proto` | `tcp`, `udp`, `icmp`, `icmpv6`, or IP protocol numbers |
 * | `src`, `dst` | IPv4 or IPv6 addresses or networks `address/bits` |
 * | `sport`, `dport` | port numbers or ranges |
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Entry } from '../../grammar/ast.js';
import type { CidrSpec, ConditionSpec, RangeSpec } from '../../runtime/contract.js';
import type { AlertFilterModel } from '../model.js';
import { entryValue } from './context.js';
import type { CheckContext } from './context.js';
import { checkRegex } from './regex.js';

/** The condition keys of a Snort rule, after `snort` itself. */
export const ALERT_CONDITION_KEYS = ['msg', 'gid', 'sid', 'rev', 'priority', 'classification', 'proto', 'src', 'dst', 'sport', 'dport'] as const;

type ConditionKey = (typeof ALERT_CONDITION_KEYS)[number];

const U32 = 0xffff_ffff;

/** What a value should have been, when it is not. */
class Bad {
  constructor(readonly wanted: string) {}
}
const PROTOCOLS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, 'ipv6-icmp': 58 };

/** Reads every condition `get` finds; a bad value is reported (R350) and that condition left out. */
export function readAlertFilter(ctx: CheckContext, get: (key: ConditionKey) => Entry | undefined): AlertFilterModel {
  const msgEntry = get('msg');
  const list = <T>(key: ConditionKey, parse: (word: string) => T | Bad): ConditionSpec<T> | null => {
    const entry = get(key);
    return entry === undefined ? null : readList(ctx, entry, parse);
  };
  const range = (max: number) => (word: string) => parseRange(word, max);
  return {
    msg: msgEntry === undefined ? null : checkRegex(ctx, entryValue(msgEntry)),
    gid: list('gid', range(U32)),
    sid: list('sid', range(U32)),
    rev: list('rev', range(U32)),
    priority: list('priority', range(U32)),
    classification: list('classification', (word) => (/^[A-Za-z0-9_.-]+$/.test(word) ? word : new Bad('a class name or number'))),
    proto: list('proto', parseProtocol),
    src: list('src', parseCidr),
    dst: list('dst', parseCidr),
    sport: list('sport', range(65_535)),
    dport: list('dport', range(65_535)),
  };
}

/** The words of a list value with their offsets, `!` taken off. */
function readList<T>(ctx: CheckContext, entry: Entry, parse: (word: string) => T | Bad): ConditionSpec<T> | null {
  const any: T[] = [];
  const not: T[] = [];
  let ok = true;
  for (const found of entry.value.matchAll(/[^\s,]+/g)) {
    const negated = found[0].startsWith('!');
    const word = negated ? found[0].slice(1) : found[0];
    const value = parse(word);
    if (value instanceof Bad) {
      ok = false;
      ctx.error('R350', `\`${entry.key}\`: \`${found[0]}\` is not ${value.wanted}`, ctx.at(entryValue(entry), found.index, found.index + found[0].length));
      continue;
    }
    (negated ? not : any).push(value);
  }
  if (!ok) return null;
  if (any.length + not.length === 0) {
    ctx.error('R350', `\`${entry.key}\` is empty`, entry.span);
    return null;
  }
  return { any, not };
}

function parseRange(word: string, max: number): RangeSpec | Bad {
  const m = /^(\d{1,10})(?:-(\d{1,10}))?$/.exec(word);
  const what = new Bad(`a number or range N-M from 0 to ${max}`);
  if (m === null) return what;
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  return low <= high && high <= max ? [low, high] : what;
}

function parseProtocol(word: string): number | Bad {
  const named = PROTOCOLS[word.toLowerCase()];
  if (named !== undefined) return named;
  return /^\d{1,3}$/.test(word) && Number(word) <= 255 ? Number(word) : new Bad('`tcp`, `udp`, `icmp`, `icmpv6` or a protocol number up to 255');
}

function parseCidr(word: string): CidrSpec | Bad {
  const slash = word.indexOf('/');
  const address = slash === -1 ? word : word.slice(0, slash);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (family === null) return new Bad('an IPv4 or IPv6 address or network (address/bits)');
  const max = family === 'ipv4' ? 32 : 128;
  const bitsText = slash === -1 ? String(max) : word.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) return new Bad(`an address with a prefix length of 0 to ${max}`);
  return { address, bits: Number(bitsText), family };
}
