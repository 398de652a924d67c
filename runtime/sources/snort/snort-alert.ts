/**
 * One Snort alert as rulec hands it on: the datagram's fields, its packet's headers and its
 * classification's name; its JSON record (what handlers write and post) and its one-line text
 * in Snort's own `alert_fast` form (what rule actions get as `$0`).
 */
import { decodeAlertpkt, type Alertpkt, type AlertVariant, type ByteOrder } from './alertpkt.js';
import type { Classification } from './classification.js';
import { decodePacket, type PacketInfo } from './packet.js';

/** A decoded alert. */
export interface SnortAlert {
  readonly fields: Alertpkt;
  readonly packet: PacketInfo;
  /** The classification's short name from classification.config; null when unknown. */
  readonly classificationName: string | null;
  /** The socket (or file) it came from. */
  readonly source: string;
}

/** How datagrams are read. */
export interface DecodeOptions {
  readonly variant: AlertVariant;
  readonly byteOrder: ByteOrder;
  readonly classifications: ReadonlyMap<number, Classification>;
}

/** Decodes one datagram into an alert, or says why it is not one. Never throws. */
export function decodeSnortAlert(datagram: Uint8Array, source: string, options: DecodeOptions): SnortAlert | { error: string } {
  const decoded = decodeAlertpkt(datagram, options.variant, options.byteOrder);
  if (!decoded.ok) return { error: decoded.error };
  return alertOf(decoded.alert, source, options.classifications);
}

/** An alert from fields already decoded. */
export function alertOf(fields: Alertpkt, source: string, classifications: ReadonlyMap<number, Classification>): SnortAlert {
  return { fields, packet: decodePacket(fields), classificationName: classifications.get(fields.classification)?.name ?? null, source };
}

/**
 * The alert as JSON data: every Alertpkt field under Pigear's names (`msg` without its NUL
 * padding, `pkt` as base64 of its `caplen` captured bytes), then `classification_name` and the
 * decoded headers (`src`, `dst`, `sport`, `dport`, `proto`...).
 */
export function alertRecord(alert: SnortAlert): Record<string, unknown> {
  const { pkt, app_name: appName, ...fields } = alert.fields;
  return {
    ...fields,
    pkt: pkt.toString('base64'),
    ...(appName === null ? {} : { app_name: appName }),
    classification_name: alert.classificationName,
    ...alert.packet,
  };
}

/** `[gid:sid:rev] msg [Classification: name] [Priority: n] {PROTO} src:sport -> dst:dport`, as Snort's alert_fast writes it. */
export function fastAlertLine(alert: SnortAlert): string {
  const f = alert.fields;
  const p = alert.packet;
  const klass = alert.classificationName === null ? '' : ` [Classification: ${alert.classificationName}]`;
  const where = (address: string | null, port: number | null): string =>
    address === null ? '' : port === null ? address : p.ip_version === 6 ? `[${address}]:${port}` : `${address}:${port}`;
  const flow = p.src === null ? '' : ` {${p.proto ?? 'IP'}} ${where(p.src, p.sport)} -> ${where(p.dst, p.dport)}`;
  return `[${f.sig_generator}:${f.sig_id}:${f.sig_rev}] ${f.msg}${klass} [Priority: ${f.priority}]${flow}`;
}

/** The alert as captures, in `ALERT_FIELDS` order after `$0`, its alert_fast line. */
export function alertCaptures(alert: SnortAlert): string[] {
  const f = alert.fields;
  const p = alert.packet;
  const text = (value: number | string | null): string => (value === null ? '' : String(value));
  return [
    fastAlertLine(alert),
    f.msg,
    text(f.sig_generator),
    text(f.sig_id),
    text(f.sig_rev),
    alert.classificationName ?? text(f.classification),
    text(f.priority),
    text(p.proto),
    text(p.src),
    text(p.sport),
    text(p.dst),
    text(p.dport),
  ];
}
