/**
 * Snort's `Alertpkt`, the fixed-size struct `alert_unixsock` sends as one datagram per alert
 * (spo_alert_unixsock.h in Snort 2, loggers/alert_unixsock.cc in Snort 3). Integers are in the
 * sending host's byte order. The layouts differ by version (../shared/design/LESSONS.md):
 *
 * | variant | size | pkth | pkt | event | app name |
 * | --- | --- | --- | --- | --- | --- |
 * | snort2, snort3 | 65,864 | 4-byte ts_sec, ts_usec at 256 | 65,535 at 292 | at 65,828 | — |
 * | snort2-appid | 65,880 | as snort2 | as snort2 | as snort2 | 16 bytes at 65,864 |
 * | snort3-appid | 65,928 | as snort2 | as snort2 | as snort2 | 64 bytes at 65,864 |
 * | legacy (≤ 2.8, x86-64) | 1,856 | 8-byte ts_sec, ts_usec at 256 | 1,514 at 300 | at 1,816 | — |
 *
 * The event is nine u32: sig_generator, sig_id, sig_rev, classification, priority, event_id,
 * event_reference, ref_time.tv_sec, ref_time.tv_usec.
 */

/** A layout of `Alertpkt`, named after the Snort builds that send it. */
export type AlertVariant = 'snort2' | 'snort3' | 'snort2-appid' | 'snort3-appid' | 'legacy';

/** The sending host's byte order (`native`: this host's). */
export type ByteOrder = 'little' | 'big' | 'native';

/** Every variant, for usage messages and checks. */
export const ALERT_VARIANTS: readonly AlertVariant[] = ['snort2', 'snort3', 'snort2-appid', 'snort3-appid', 'legacy'];

/** `val` bits. */
export const NOPACKET_STRUCT = 0x1;
export const NO_TRANSHDR = 0x2;

const MSG_LENGTH = 256;

/** Where each part of one variant's struct lies. */
export interface AlertLayout {
  readonly variant: AlertVariant;
  readonly size: number;
  /** Width of pkth's ts_sec and ts_usec: 4 (pcap_pkthdr32) or 8 (a 64-bit native timeval). */
  readonly tsWidth: 4 | 8;
  readonly pktAt: number;
  readonly pktSize: number;
  readonly eventAt: number;
  readonly appNameLength: number;
}

function layout(variant: AlertVariant, tsWidth: 4 | 8, pktSize: number, appNameLength: number, size: number): AlertLayout {
  const pktAt = MSG_LENGTH + 2 * tsWidth + 8 + 20;
  // The event is 4-byte aligned after pkt.
  const eventAt = Math.ceil((pktAt + pktSize) / 4) * 4;
  return { variant, size, tsWidth, pktAt, pktSize, eventAt, appNameLength };
}

const LAYOUTS: Readonly<Record<AlertVariant, AlertLayout>> = {
  snort2: layout('snort2', 4, 65_535, 0, 65_864),
  snort3: layout('snort3', 4, 65_535, 0, 65_864),
  'snort2-appid': layout('snort2-appid', 4, 65_535, 16, 65_880),
  'snort3-appid': layout('snort3-appid', 4, 65_535, 64, 65_928),
  // struct alignment 8 (the native timeval) pads 1,852 to 1,856.
  legacy: layout('legacy', 8, 1514, 0, 1856),
};

/** The layout of `variant`. */
export function alertLayout(variant: AlertVariant): AlertLayout {
  return LAYOUTS[variant];
}

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether a byte order is little-endian (`native`: this host's). */
export function isLittleEndian(order: ByteOrder): boolean {
  return order === 'native' ? HOST_LITTLE : order === 'little';
}

/** Every field of one `Alertpkt`, under Pigear's names; `pkt` holds the `caplen` captured bytes. */
export interface Alertpkt {
  readonly msg: string;
  readonly ts_sec: number;
  readonly ts_usec: number;
  readonly caplen: number;
  readonly pktlen: number;
  readonly dlthdr: number;
  readonly nethdr: number;
  readonly transhdr: number;
  readonly data: number;
  readonly val: number;
  readonly pkt: Buffer;
  readonly sig_generator: number;
  readonly sig_id: number;
  readonly sig_rev: number;
  readonly classification: number;
  readonly priority: number;
  readonly event_id: number;
  readonly event_reference: number;
  /** ref_time.tv_sec and ref_time.tv_usec. */
  readonly tv_sec: number;
  readonly tv_usec: number;
  /** The open-appid variants' application name; null for the others. */
  readonly app_name: string | null;
}

/** A datagram decoded, or why it could not be. */
export type AlertDecode = { readonly ok: true; readonly alert: Alertpkt } | { readonly ok: false; readonly error: string };

/**
 * Decodes one datagram. Never throws: a datagram of another size than the variant's, a
 * `caplen` beyond `pkt` or above `pktlen`, or header offsets beyond `caplen` come back as an
 * error saying which.
 */
export function decodeAlertpkt(datagram: Uint8Array, variant: AlertVariant, order: ByteOrder): AlertDecode {
  const lay = LAYOUTS[variant];
  if (datagram.length !== lay.size) {
    const guess = ALERT_VARIANTS.find((v) => LAYOUTS[v].size === datagram.length);
    const hint = guess === undefined ? '' : ` (the size of variant ${guess})`;
    return { ok: false, error: `datagram of ${datagram.length} bytes${hint}, variant ${variant} sends ${lay.size}` };
  }
  const bytes = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const little = isLittleEndian(order);
  const u32 = little ? (at: number): number => bytes.readUInt32LE(at) : (at: number): number => bytes.readUInt32BE(at);
  const ts = (at: number): number => (lay.tsWidth === 4 ? u32(at) : Number(little ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at)));
  const w = lay.tsWidth;
  const caplen = u32(MSG_LENGTH + 2 * w);
  const pktlen = u32(MSG_LENGTH + 2 * w + 4);
  const at = MSG_LENGTH + 2 * w + 8;
  const [dlthdr, nethdr, transhdr, data, val] = [u32(at), u32(at + 4), u32(at + 8), u32(at + 12), u32(at + 16)] as const;
  if (caplen > lay.pktSize) return { ok: false, error: `caplen ${caplen} is beyond the ${lay.pktSize}-byte pkt buffer` };
  if (caplen > pktlen) return { ok: false, error: `caplen ${caplen} is above the packet's length ${pktlen}` };
  if ((val & NOPACKET_STRUCT) === 0) {
    const beyond = dlthdr > caplen ? 'dlthdr' : nethdr > caplen ? 'nethdr' : transhdr > caplen ? 'transhdr' : data > caplen ? 'data' : null;
    if (beyond !== null) return { ok: false, error: `${beyond} offset ${({ dlthdr, nethdr, transhdr, data })[beyond]} is beyond caplen ${caplen}` };
  }
  const e = lay.eventAt;
  // A copy: the datagram's 64 KiB buffer is then free to go.
  const pkt = Buffer.allocUnsafe(caplen);
  bytes.copy(pkt, 0, lay.pktAt, lay.pktAt + caplen);
  return {
    ok: true,
    alert: {
      msg: cString(bytes, 0, MSG_LENGTH),
      ts_sec: ts(MSG_LENGTH),
      ts_usec: ts(MSG_LENGTH + w),
      caplen,
      pktlen,
      dlthdr,
      nethdr,
      transhdr,
      data,
      val,
      pkt,
      sig_generator: u32(e),
      sig_id: u32(e + 4),
      sig_rev: u32(e + 8),
      classification: u32(e + 12),
      priority: u32(e + 16),
      event_id: u32(e + 20),
      event_reference: u32(e + 24),
      tv_sec: u32(e + 28),
      tv_usec: u32(e + 32),
      app_name: lay.appNameLength === 0 ? null : cString(bytes, e + 36, lay.appNameLength),
    },
  };
}

/**
 * The datagram Snort would send for `alert` (what `rulec test` makes of a unified2 event, and
 * what tests and benches send). Fields beyond 32 bits and a `pkt` longer than the variant's
 * buffer are cut as Snort's own copy would cut them.
 */
export function encodeAlertpkt(alert: Alertpkt, variant: AlertVariant, order: ByteOrder): Buffer {
  const lay = LAYOUTS[variant];
  const out = Buffer.alloc(lay.size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const little = isLittleEndian(order);
  const u32 = (at: number, value: number): void => view.setUint32(at, value >>> 0, little);
  const ts = (at: number, value: number): void => {
    if (lay.tsWidth === 4) u32(at, value);
    else view.setBigUint64(at, BigInt(Math.max(0, Math.trunc(value))), little);
  };
  // Snort copies at most 255 characters and always ends the message with a NUL.
  out.write(alert.msg, 0, MSG_LENGTH - 1, 'utf8');
  const w = lay.tsWidth;
  ts(MSG_LENGTH, alert.ts_sec);
  ts(MSG_LENGTH + w, alert.ts_usec);
  const pkt = alert.pkt.subarray(0, lay.pktSize);
  u32(MSG_LENGTH + 2 * w, Math.min(alert.caplen, lay.pktSize));
  u32(MSG_LENGTH + 2 * w + 4, alert.pktlen);
  const at = MSG_LENGTH + 2 * w + 8;
  [alert.dlthdr, alert.nethdr, alert.transhdr, alert.data, alert.val].forEach((value, i) => u32(at + 4 * i, value));
  pkt.copy(out, lay.pktAt);
  const e = lay.eventAt;
  [alert.sig_generator, alert.sig_id, alert.sig_rev, alert.classification, alert.priority, alert.event_id, alert.event_reference, alert.tv_sec, alert.tv_usec]
    .forEach((value, i) => u32(e + 4 * i, value));
  if (lay.appNameLength > 0 && alert.app_name !== null) out.write(alert.app_name, e + 36, lay.appNameLength - 1, 'utf8');
  return out;
}

/** The text before the first NUL of a fixed-size field (all of it when there is none). */
function cString(bytes: Buffer, at: number, length: number): string {
  const field = bytes.subarray(at, at + length);
  const nul = field.indexOf(0);
  return field.toString('utf8', 0, nul === -1 ? length : nul);
}
