/**
 * The headers of an alert's packet: Ethernet (with 802.1Q/802.1ad tags), IPv4 or IPv6 (with
 * its extension headers), then TCP, UDP, ICMP or ICMPv6. Snort's offsets are used where it gave
 * them; Snort 2.9 gives `nethdr` and `transhdr` only for IPv4, so elsewhere the headers are
 * walked from the link layer. A header cut short by `caplen` leaves its fields null: the packet
 * is attacker-made and never makes this throw.
 */
import { NO_TRANSHDR, NOPACKET_STRUCT, type Alertpkt } from './alertpkt.js';

/** What the headers say. Addresses are text (IPv6 in RFC 5952 form); absent parts are null. */
export interface PacketInfo {
  readonly eth_src: string | null;
  readonly eth_dst: string | null;
  readonly ethertype: number | null;
  readonly ip_version: 4 | 6 | null;
  readonly src: string | null;
  readonly dst: string | null;
  /** The IP protocol number of the transport header (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6...). */
  readonly ip_proto: number | null;
  /** `TCP`, `UDP`, `ICMP`, `ICMPv6`, `IP` (another protocol) or null without an IP header. */
  readonly proto: string | null;
  readonly ttl: number | null;
  readonly sport: number | null;
  readonly dport: number | null;
  /** TCP flags as letters in the order Snort prints them (`CEUAPRSF`, absent ones left out). */
  readonly tcp_flags: string | null;
  readonly icmp_type: number | null;
  readonly icmp_code: number | null;
}

const NONE: PacketInfo = {
  eth_src: null, eth_dst: null, ethertype: null, ip_version: null, src: null, dst: null, ip_proto: null,
  proto: null, ttl: null, sport: null, dport: null, tcp_flags: null, icmp_type: null, icmp_code: null,
};

const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);
/** IPv6 extension headers that carry a next-header byte and a length in 8-byte units (AH: 4-byte units). */
const IPV6_EXTENSIONS = new Set([0, 43, 60, 135, 139, 140]);
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;
const PROTO_NAMES: Readonly<Record<number, string>> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };
const TCP_FLAG_LETTERS = [[0x80, 'C'], [0x40, 'E'], [0x20, 'U'], [0x10, 'A'], [0x08, 'P'], [0x04, 'R'], [0x02, 'S'], [0x01, 'F']] as const;

/** Decodes the packet headers of an alert. */
export function decodePacket(alert: Pick<Alertpkt, 'pkt' | 'dlthdr' | 'nethdr' | 'transhdr' | 'val'>): PacketInfo {
  if ((alert.val & NOPACKET_STRUCT) !== 0) return NONE;
  const pkt = alert.pkt;
  const link = ethernet(pkt, alert.dlthdr);
  // Snort's nethdr is 0 when it did not point at an IPv4 header; then the link layer says where.
  const netAt = alert.nethdr > alert.dlthdr || link === null ? alert.nethdr : link.payloadAt;
  const ip = internet(pkt, netAt);
  const info = {
    ...NONE,
    eth_src: link?.src ?? null,
    eth_dst: link?.dst ?? null,
    ethertype: link?.ethertype ?? null,
  };
  if (ip === null) return info;
  const useSnort = alert.transhdr > netAt && (alert.val & NO_TRANSHDR) === 0;
  const transAt = useSnort ? alert.transhdr : ip.payloadAt;
  return { ...info, ip_version: ip.version, src: ip.src, dst: ip.dst, ip_proto: ip.proto, proto: PROTO_NAMES[ip.proto] ?? 'IP', ttl: ip.ttl, ...transport(pkt, transAt, ip.proto) };
}

function ethernet(pkt: Buffer, at: number): { src: string; dst: string; ethertype: number; payloadAt: number } | null {
  if (at + 14 > pkt.length) return null;
  let typeAt = at + 12;
  let ethertype = pkt.readUInt16BE(typeAt);
  // Stacked VLAN tags, at most two as in 802.1ad; more is not Ethernet as sent.
  for (let tags = 0; tags < 2 && VLAN_TAGS.has(ethertype) && typeAt + 6 <= pkt.length; tags++) {
    typeAt += 4;
    ethertype = pkt.readUInt16BE(typeAt);
  }
  return { dst: mac(pkt, at), src: mac(pkt, at + 6), ethertype, payloadAt: typeAt + 2 };
}

interface IpHeader {
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  readonly proto: number;
  readonly ttl: number;
  readonly payloadAt: number;
}

function internet(pkt: Buffer, at: number): IpHeader | null {
  if (at >= pkt.length) return null;
  const version = pkt[at]! >> 4;
  if (version === 4) {
    const ihl = (pkt[at]! & 0x0f) * 4;
    if (ihl < 20 || at + 20 > pkt.length) return null;
    return { version, src: ipv4(pkt, at + 12), dst: ipv4(pkt, at + 16), proto: pkt[at + 9]!, ttl: pkt[at + 8]!, payloadAt: at + ihl };
  }
  if (version === 6) {
    if (at + 40 > pkt.length) return null;
    let next = pkt[at + 6]!;
    let cursor = at + 40;
    // Walk extension headers to the transport; a cut or endless chain stops at what it has.
    for (let hops = 0; hops < 16 && cursor + 8 <= pkt.length; hops++) {
      if (IPV6_EXTENSIONS.has(next)) {
        const length = (pkt[cursor + 1]! + 1) * 8;
        next = pkt[cursor]!;
        cursor += length;
      } else if (next === IPV6_AH) {
        const length = (pkt[cursor + 1]! + 2) * 4;
        next = pkt[cursor]!;
        cursor += length;
      } else if (next === IPV6_FRAGMENT) {
        next = pkt[cursor]!;
        cursor += 8;
      } else {
        break;
      }
    }
    return { version, src: ipv6(pkt, at + 8), dst: ipv6(pkt, at + 24), proto: next, ttl: pkt[at + 7]!, payloadAt: cursor };
  }
  return null;
}

function transport(pkt: Buffer, at: number, proto: number): Partial<PacketInfo> {
  if ((proto === 6 || proto === 17) && at + 4 <= pkt.length) {
    const ports = { sport: pkt.readUInt16BE(at), dport: pkt.readUInt16BE(at + 2) };
    // A capture cut after the ports still has them; the flags need the 14th byte.
    if (proto !== 6 || at + 14 > pkt.length) return ports;
    const bits = pkt[at + 13]!;
    return { ...ports, tcp_flags: TCP_FLAG_LETTERS.filter(([bit]) => (bits & bit) !== 0).map(([, letter]) => letter).join('') };
  }
  if ((proto === 1 || proto === 58) && at + 2 <= pkt.length) return { icmp_type: pkt[at]!, icmp_code: pkt[at + 1]! };
  return {};
}

function mac(pkt: Buffer, at: number): string {
  const hex = pkt.toString('hex', at, at + 6);
  return `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}:${hex.slice(8, 10)}:${hex.slice(10, 12)}`;
}

function ipv4(pkt: Buffer, at: number): string {
  return `${pkt[at]}.${pkt[at + 1]}.${pkt[at + 2]}.${pkt[at + 3]}`;
}

/** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function ipv6(pkt: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((pkt[at + 2 * i]! << 8) | pkt[at + 2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
