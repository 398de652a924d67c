/**
 * Snort's unified2 files, as `rulec test` replays them: big-endian records, each an 8-byte
 * header (type, length) and a body. Events (IPv4 and IPv6, v1 and v2) become `Alertpkt`s with
 * the packet record that follows them for the same event id; an event without one gets a
 * minimal IP and port header made from its own fields. unified2 carries no message text:
 * `msg` is empty.
 */
import { NO_TRANSHDR, type Alertpkt } from './alertpkt.js';

const EVENT_V1 = 7;
const EVENT_V2 = 104;
const EVENT6_V1 = 72;
const EVENT6_V2 = 105;
const PACKET = 2;
const LINKTYPE_ETHERNET = 1;
/** The types a unified2 file starts with (one of these, or an extra-data record, 110). */
const KNOWN_TYPES = new Set([PACKET, EVENT_V1, EVENT_V2, EVENT6_V1, EVENT6_V2, 110]);
const HEADER = 8;

/** An event record's fields. */
interface Event {
  readonly eventId: number;
  readonly second: number;
  readonly microsecond: number;
  readonly sid: number;
  readonly gid: number;
  readonly rev: number;
  readonly classification: number;
  readonly priority: number;
  readonly src: Buffer;
  readonly dst: Buffer;
  readonly sport: number;
  readonly dport: number;
  readonly protocol: number;
}

/** True when `bytes` starts like a unified2 file (a known record type with a length that fits). */
export function looksLikeUnified2(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return KNOWN_TYPES.has(view.getUint32(0)) && view.getUint32(4) <= bytes.length - HEADER;
}

/** The alerts of a unified2 file, in file order, and a problem when it ends in a cut record. */
export function readUnified2(bytes: Buffer): { alerts: Alertpkt[]; problem: string | null } {
  const events: { event: Event; packet: Buffer | null; linktype: number }[] = [];
  const waiting = new Map<number, (typeof events)[number]>();
  let at = 0;
  let problem: string | null = null;
  while (at < bytes.length) {
    if (at + HEADER > bytes.length) {
      problem = `${bytes.length - at} byte(s) at offset ${at} are too few for a record header`;
      break;
    }
    const type = bytes.readUInt32BE(at);
    const length = bytes.readUInt32BE(at + 4);
    const body = bytes.subarray(at + HEADER, at + HEADER + length);
    if (body.length < length) {
      problem = `the record at offset ${at} (type ${type}) says ${length} bytes, ${body.length} remain`;
      break;
    }
    const event = readEvent(type, body);
    if (event !== null) {
      const entry = { event, packet: null, linktype: LINKTYPE_ETHERNET };
      events.push(entry);
      waiting.set(event.eventId, entry);
    } else if (type === PACKET && body.length >= 28) {
      const entry = waiting.get(body.readUInt32BE(4));
      if (entry !== undefined && entry.packet === null) {
        const size = Math.min(body.readUInt32BE(24), body.length - 28);
        entry.packet = body.subarray(28, 28 + size);
        entry.linktype = body.readUInt32BE(20);
      }
    }
    at += HEADER + length;
  }
  return { alerts: events.map(({ event, packet, linktype }) => toAlert(event, packet, linktype)), problem };
}

function readEvent(type: number, body: Buffer): Event | null {
  const six = type === EVENT6_V1 || type === EVENT6_V2;
  if (!six && type !== EVENT_V1 && type !== EVENT_V2) return null;
  const width = six ? 16 : 4;
  const portsAt = 36 + 2 * width;
  if (body.length < portsAt + 5) return null;
  const u32 = (i: number): number => body.readUInt32BE(4 * i);
  return {
    eventId: u32(1),
    second: u32(2),
    microsecond: u32(3),
    sid: u32(4),
    gid: u32(5),
    rev: u32(6),
    classification: u32(7),
    priority: u32(8),
    src: body.subarray(36, 36 + width),
    dst: body.subarray(36 + width, 36 + 2 * width),
    sport: body.readUInt16BE(portsAt),
    dport: body.readUInt16BE(portsAt + 2),
    protocol: body[portsAt + 4]!,
  };
}

function toAlert(event: Event, packet: Buffer | null, linktype: number): Alertpkt {
  const pkt = packet ?? headerOf(event);
  // Snort's offsets: 0 lets the decoder walk from the link layer; a raw IP packet (no Ethernet)
  // has its link header "at the end", so the walk starts at the IP header at 0.
  const dlthdr = packet !== null && linktype === LINKTYPE_ETHERNET ? 0 : pkt.length;
  return {
    msg: '',
    ts_sec: event.second,
    ts_usec: event.microsecond,
    caplen: pkt.length,
    pktlen: pkt.length,
    dlthdr,
    nethdr: 0,
    transhdr: 0,
    data: 0,
    val: NO_TRANSHDR,
    pkt,
    sig_generator: event.gid,
    sig_id: event.sid,
    sig_rev: event.rev,
    classification: event.classification,
    priority: event.priority,
    event_id: event.eventId,
    event_reference: event.eventId,
    tv_sec: event.second,
    tv_usec: event.microsecond,
    app_name: null,
  };
}

/** An IP header (and ports, for TCP and UDP) carrying the event's own addresses. */
function headerOf(event: Event): Buffer {
  const ports = event.protocol === 6 || event.protocol === 17;
  const ports4 = Buffer.alloc(ports ? 4 : 0);
  if (ports) {
    ports4.writeUInt16BE(event.sport, 0);
    ports4.writeUInt16BE(event.dport, 2);
  }
  if (event.src.length === 16) {
    const ip = Buffer.alloc(40);
    ip[0] = 0x60;
    ip.writeUInt16BE(ports4.length, 4);
    ip[6] = event.protocol;
    event.src.copy(ip, 8);
    event.dst.copy(ip, 24);
    return Buffer.concat([ip, ports4]);
  }
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + ports4.length, 2);
  ip[9] = event.protocol;
  event.src.copy(ip, 12);
  event.dst.copy(ip, 16);
  return Buffer.concat([ip, ports4]);
}
