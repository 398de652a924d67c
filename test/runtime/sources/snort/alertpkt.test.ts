import { describe, expect, it } from 'vitest';
import { ALERT_VARIANTS, alertLayout, decodeAlertpkt, encodeAlertpkt, type Alertpkt } from '../../../../runtime/sources/snort/alertpkt.js';
import { parseClassifications } from '../../../../runtime/sources/snort/classification.js';
import { alertRecord, decodeSnortAlert, fastAlertLine } from '../../../../runtime/sources/snort/snort-alert.js';
import { expectedDecoded, snortCorpus } from './helpers.js';

const REAL = snortCorpus('test_alert.bin');
const classes = parseClassifications(snortCorpus('idstools_classification.config.txt').toString('utf8'));

function decodeReal(): Alertpkt {
  const result = decodeAlertpkt(REAL, 'snort2', 'little');
  if (!result.ok) throw new Error(result.error);
  return result.alert;
}

describe('the real datagram (test_alert.bin)', () => {
  it('decodes every field to the values of SOURCES.md', () => {
    const truth = expectedDecoded().alertpkt;
    const a = decodeReal();
    expect(a.msg).toBe(truth.alertmsg);
    expect([a.ts_sec, a.ts_usec, a.caplen, a.pktlen]).toEqual([truth.pkth.ts_sec, truth.pkth.ts_usec, truth.pkth.caplen, truth.pkth.len]);
    expect([a.dlthdr, a.nethdr, a.transhdr, a.data, a.val]).toEqual([truth.dlthdr, truth.nethdr, truth.transhdr, truth.data, truth.val]);
    const e = truth.event;
    expect([a.sig_generator, a.sig_id, a.sig_rev, a.classification, a.priority, a.event_id, a.event_reference, a.tv_sec, a.tv_usec])
      .toEqual([e.sig_generator, e.sig_id, e.sig_rev, e.classification, e.priority, e.event_id, e.event_reference, e.ref_time_sec, e.ref_time_usec]);
    expect(a.pkt.length).toBe(347);
    expect(a.app_name).toBeNull();
  });

  it('decodes its packet: 127.0.0.1:58896 -> 127.0.0.1:5060 UDP over a zeroed Ethernet header', () => {
    const alert = decodeSnortAlert(REAL, 'test', { variant: 'snort2', byteOrder: 'little', classifications: classes });
    if ('error' in alert) throw new Error(alert.error);
    expect(alert.packet).toMatchObject({
      eth_src: '00:00:00:00:00:00', eth_dst: '00:00:00:00:00:00', ethertype: 0x0800, ip_version: 4,
      src: '127.0.0.1', dst: '127.0.0.1', sport: 58896, dport: 5060, proto: 'UDP', ip_proto: 17, ttl: 64,
    });
    expect(alert.classificationName).toBe('attempted-dos');
    expect(fastAlertLine(alert)).toBe('[1:20326:1] VOIP-SIP-UDP From header unquoted tokens in field attempt [Classification: attempted-dos] [Priority: 2] {UDP} 127.0.0.1:58896 -> 127.0.0.1:5060');
    const record = alertRecord(alert);
    expect(Buffer.from(record.pkt as string, 'base64').subarray(42, 49).toString()).toBe('OPTIONS');
    expect(record).toMatchObject({ msg: 'VOIP-SIP-UDP From header unquoted tokens in field attempt', sig_id: 20326, tv_sec: 1338283413, src: '127.0.0.1', dport: 5060 });
  });

  it('reads as garbage in the other byte order, and is refused by the other variants', () => {
    const big = decodeAlertpkt(REAL, 'snort2', 'big');
    expect(big.ok).toBe(false);
    const legacy = decodeAlertpkt(REAL, 'legacy', 'little');
    expect(legacy).toEqual({ ok: false, error: 'datagram of 65864 bytes (the size of variant snort2), variant legacy sends 1856' });
  });
});

describe('layouts', () => {
  it('has the sizes Snort sends', () => {
    expect(ALERT_VARIANTS.map((v) => alertLayout(v).size)).toEqual([65_864, 65_864, 65_880, 65_928, 1856]);
    expect(alertLayout('snort2')).toMatchObject({ pktAt: 292, eventAt: 65_828 });
    expect(alertLayout('legacy')).toMatchObject({ pktAt: 300, eventAt: 1816 });
  });

  it('round-trips every field through every variant and byte order', () => {
    const real = decodeReal();
    for (const variant of ALERT_VARIANTS) {
      for (const order of ['little', 'big'] as const) {
        const fields = { ...real, app_name: alertLayout(variant).appNameLength > 0 ? 'SIP' : null, ts_sec: 4_000_000_000 };
        const bytes = encodeAlertpkt(fields, variant, order);
        expect(bytes.length).toBe(alertLayout(variant).size);
        const back = decodeAlertpkt(bytes, variant, order);
        expect(back.ok && { ...back.alert, pkt: back.alert.pkt.toString('hex') }).toEqual({ ...fields, pkt: fields.pkt.toString('hex') });
      }
    }
  });
});

describe('inconsistent datagrams', () => {
  const set = (offset: number, value: number): Buffer => {
    const copy = Buffer.from(REAL);
    copy.writeUInt32LE(value, offset);
    return copy;
  };
  it.each([
    ['a short datagram', REAL.subarray(0, 1000), 'datagram of 1000 bytes, variant snort2 sends 65864'],
    ['caplen beyond pkt', set(264, 70_000), 'caplen 70000 is beyond the 65535-byte pkt buffer'],
    ['caplen above pktlen', set(268, 100), 'caplen 347 is above the packet\'s length 100'],
    ['nethdr beyond caplen', set(276, 400), 'nethdr offset 400 is beyond caplen 347'],
    ['data beyond caplen', set(284, 348), 'data offset 348 is beyond caplen 347'],
  ])('%s is an error', (_name, bytes, error) => {
    expect(decodeAlertpkt(bytes, 'snort2', 'little')).toEqual({ ok: false, error });
  });

  it('takes offsets as they are when val says there is no packet', () => {
    const bytes = set(288, 1);
    bytes.writeUInt32LE(999_999, 276);
    const result = decodeSnortAlert(bytes, 't', { variant: 'snort2', byteOrder: 'little', classifications: new Map() });
    expect('error' in result ? result.error : result.packet.src).toBeNull();
  });
});
