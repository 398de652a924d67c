/** A Snort rule's conditions (`AlertFilterSpec`) as one test of an alert. */
import { BlockList } from 'node:net';
import type { AlertFilterSpec, CidrSpec, ConditionSpec, RangeSpec } from '../../contract.js';
import type { SnortAlert } from './snort-alert.js';

/** True when `value` passes `condition`: some accepted value (or none given) and no refused one. */
function passes<T>(condition: ConditionSpec<T> | null, value: unknown, matches: (entry: T, value: never) => boolean): boolean {
  if (condition === null) return true;
  if (value === null) return condition.any.length === 0;
  const hit = (entry: T): boolean => matches(entry, value as never);
  return (condition.any.length === 0 || condition.any.some(hit)) && !condition.not.some(hit);
}

const inRange = (range: RangeSpec, value: number): boolean => value >= range[0] && value <= range[1];

/** Networks as one of Node's BlockLists per side (accepted, refused). */
function networks(condition: ConditionSpec<CidrSpec> | null): { any: BlockList | null; not: BlockList } | null {
  if (condition === null) return null;
  const list = (entries: readonly CidrSpec[]): BlockList => {
    const blocks = new BlockList();
    for (const cidr of entries) blocks.addSubnet(cidr.address, cidr.bits, cidr.family);
    return blocks;
  };
  return { any: condition.any.length === 0 ? null : list(condition.any), not: list(condition.not) };
}

function inNetworks(lists: ReturnType<typeof networks>, address: string | null, version: 4 | 6 | null): boolean {
  if (lists === null) return true;
  if (address === null || version === null) return lists.any === null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  return (lists.any === null || lists.any.check(address, family)) && !lists.not.check(address, family);
}

/** The test an alert must pass to match the rule. */
export function alertFilter(spec: AlertFilterSpec): (alert: SnortAlert) => boolean {
  const src = networks(spec.src);
  const dst = networks(spec.dst);
  return (alert) => {
    const f = alert.fields;
    const p = alert.packet;
    return (
      passes(spec.gid, f.sig_generator, inRange) &&
      passes(spec.sid, f.sig_id, inRange) &&
      passes(spec.rev, f.sig_rev, inRange) &&
      passes(spec.priority, f.priority, inRange) &&
      passes(spec.classification, f.classification, (entry: string, id: number) => entry === String(id) || entry === alert.classificationName) &&
      passes(spec.proto, p.ip_proto, (entry: number, proto: number) => entry === proto) &&
      passes(spec.sport, p.sport, inRange) &&
      passes(spec.dport, p.dport, inRange) &&
      inNetworks(src, p.src, p.ip_version) &&
      inNetworks(dst, p.dst, p.ip_version) &&
      (spec.msg === null || spec.msg(f.msg))
    );
  };
}
