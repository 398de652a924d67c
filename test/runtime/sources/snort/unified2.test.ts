import { describe, expect, it } from 'vitest';
import { encodeAlertpkt } from '../../../../runtime/sources/snort/alertpkt.js';
import { looksLikeUnified2, readUnified2 } from '../../../../runtime/sources/snort/unified2.js';
import { decodeSnortAlert } from '../../../../runtime/sources/snort/snort-alert.js';
import { expectedDecoded, snortCorpus } from './helpers.js';

const PROTO: Readonly<Record<number, string>> = { 6: 'TCP', 58: 'ICMPv6' };

describe('unified2 events as datagrams', () => {
  it.each(['idstools_merged.unified2', 'idstools_ipv6-alert.unified2', 'idstools_multi-record-event.unified2'])(
    '%s: every event, sent as an Alertpkt of its packet record, decodes to its recorded addresses',
    (file) => {
      const bytes = snortCorpus(file);
      expect(looksLikeUnified2(bytes)).toBe(true);
      const { alerts, problem } = readUnified2(bytes);
      expect(problem).toBeNull();
      const events = expectedDecoded().unified2.find((u) => u.file === file)!.record_list.filter((r) => String(r.kind).startsWith('event'));
      expect(alerts.length).toBe(events.length);
      alerts.forEach((fields, i) => {
        const event = events[i]!;
        // The datagram carries the packet only: the decoder finds the addresses in its headers.
        const datagram = encodeAlertpkt(fields, 'snort2', 'little');
        const alert = decodeSnortAlert(datagram, file, { variant: 'snort2', byteOrder: 'little', classifications: new Map() });
        if ('error' in alert) throw new Error(alert.error);
        expect(alert.packet.src).toBe(event.source_ip);
        expect(alert.packet.dst).toBe(event.destination_ip);
        expect(alert.packet.proto).toBe(PROTO[event.protocol as number]);
        if (event.protocol === 6) expect([alert.packet.sport, alert.packet.dport]).toEqual([event.sport_itype, event.dport_icode]);
        else expect([alert.packet.icmp_type, alert.packet.icmp_code]).not.toEqual([null, null]);
        expect([alert.fields.sig_generator, alert.fields.sig_id, alert.fields.sig_rev, alert.fields.event_id, alert.fields.ts_sec])
          .toEqual([event.generator_id, event.signature_id, event.signature_revision, event.event_id, event.event_second]);
      });
    },
  );

  it('gives an event without a packet record a header made of its own addresses', () => {
    const bytes = snortCorpus('idstools_merged.unified2');
    // The first event record alone (8-byte header and 60-byte body).
    const { alerts } = readUnified2(bytes.subarray(0, 68));
    const alert = decodeSnortAlert(encodeAlertpkt(alerts[0]!, 'snort2', 'little'), 'x', { variant: 'snort2', byteOrder: 'little', classifications: new Map() });
    if ('error' in alert) throw new Error(alert.error);
    expect(alert.packet).toMatchObject({ src: '172.16.1.10', dst: '172.16.1.11', sport: 80, dport: 39376, proto: 'TCP' });
  });

  it('reports a file cut in a record', () => {
    const bytes = snortCorpus('idstools_merged.unified2');
    const { alerts, problem } = readUnified2(bytes.subarray(0, 100));
    expect(alerts.length).toBe(1);
    expect(problem).toBe('the record at offset 68 (type 2) says 401 bytes, 24 remain');
    expect(looksLikeUnified2(snortCorpus('test_alert.bin'))).toBe(false);
  });
});
