import { chmodSync, chownSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendDatagrams } from '../../../../bench/snort-sender.js';
import { SnortListener, type SnortListenerOptions } from '../../../../runtime/sources/snort/alert-listener.js';
import { parseClassifications } from '../../../../runtime/sources/snort/classification.js';
import { socketPaths } from '../../../../runtime/sources/snort/logdir.js';
import type { SnortAlert } from '../../../../runtime/sources/snort/snort-alert.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { NOBODY, asNobody, secondUserMissing } from '../../fs/helpers.js';
import { makeStaleSocket, scratchDirs, snortCorpus } from './helpers.js';

const newDir = scratchDirs();
const REAL = snortCorpus('test_alert.bin');
const classifications = parseClassifications(snortCorpus('idstools_classification.config.txt').toString('utf8'));

function listen(paths: string[], extra: Partial<SnortListenerOptions> = {}) {
  const alerts: SnortAlert[] = [];
  const bad: string[] = [];
  const listener = new SnortListener(
    { paths, variant: 'snort2', byteOrder: 'little', classifications, ...extra },
    { alert: (a) => alerts.push(a), bad: (_source, error) => bad.push(error), failed: (m) => bad.push(`failed: ${m}`) },
  );
  return { listener, alerts, bad };
}

describe('the alert socket', () => {
  it('receives the real 65,864-byte datagram whole and decodes it', async () => {
    const [path] = socketPaths(newDir(), 1);
    const { listener, alerts, bad } = listen([path!]);
    const bound = listener.start();
    try {
      expect(bound[0]!.receiveBuffer).toBeGreaterThan(212_992);
      expect(lstatSync(path!).mode & 0o777).toBe(0o600);
      expect(sendDatagrams(path!, [REAL, REAL.subarray(0, 500)])).toMatchObject({ sent: 2, lost: 0 });
      expect(await waitFor(() => alerts.length + bad.length === 2)).toBe(true);
      const [alert] = alerts;
      expect(alert?.source).toBe(path);
      expect(alert?.fields).toMatchObject({ msg: 'VOIP-SIP-UDP From header unquoted tokens in field attempt', sig_id: 20326, priority: 2, classification: 7 });
      expect(alert?.packet).toMatchObject({ src: '127.0.0.1', sport: 58896, dst: '127.0.0.1', dport: 5060, proto: 'UDP' });
      expect(alert?.classificationName).toBe('attempted-dos');
      expect(bad).toEqual(['datagram of 500 bytes, variant snort2 sends 65864']);
      expect(listener.stats()).toMatchObject({ received: 2, decoded: 1, bad: 1 });
    } finally {
      await listener.stop();
    }
    expect(() => lstatSync(path!)).toThrow();
  });

  it('binds every packet thread\'s socket of Snort 3', async () => {
    const paths = socketPaths(newDir(), 3);
    expect(paths.map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(['0_snort_alert', '1_snort_alert', '2_snort_alert']);
    const { listener, alerts } = listen(paths);
    listener.start();
    try {
      for (const path of paths) sendDatagrams(path, [REAL]);
      expect(await waitFor(() => alerts.length === 3)).toBe(true);
      expect(new Set(alerts.map((a) => a.source))).toEqual(new Set(paths));
    } finally {
      await listener.stop();
    }
  });

  it('replaces a stale socket, but not a live one or a file that is no socket', async () => {
    const dir = newDir();
    const [path] = socketPaths(dir, 1);
    makeStaleSocket(path!);
    const first = listen([path!]);
    first.listener.start();
    try {
      sendDatagrams(path!, [REAL]);
      expect(await waitFor(() => first.alerts.length === 1)).toBe(true);
      // A second listener must not take the socket from the first.
      expect(() => listen([path!]).listener.start()).toThrow(/another listener is bound to it; not taking it over/);
    } finally {
      await first.listener.stop();
    }
    const file = join(newDir(), 'snort_alert');
    writeFileSync(file, 'keep me');
    expect(() => listen([file]).listener.start()).toThrow(/exists and is not a socket; not replacing it/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('says why it cannot bind in a directory it may not write to', (ctx) => {
    if (process.getuid?.() === 0) ctx.skip('root may write to any directory; the as-root case below covers who may send');
    const dir = newDir();
    chmodSync(dir, 0o500);
    expect(() => listen(socketPaths(dir, 1)).listener.start()).toThrow(/cannot create a socket in/);
  });

  it('as root: the socket belongs to the owner of the log directory (Snort), who alone of the other users may send', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) ctx.skip(missing);
    // A sender as nobody: the exit status says whether the kernel let it write to the socket.
    const sendAsNobody = (path: string) => asNobody(['/usr/bin/python3', '-c', 'import socket,sys\ns=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ntry:\n s.sendto(b"x"*500,sys.argv[1])\nexcept PermissionError:\n sys.exit(13)', path]);
    for (const owner of [NOBODY, 0]) {
      const dir = newDir();
      chmodSync(dir, 0o755);
      chownSync(dir, owner, owner);
      const [path] = socketPaths(dir, 1);
      const { listener, bad } = listen([path!]);
      listener.start();
      try {
        const socket = lstatSync(path!);
        expect([socket.uid, socket.gid, socket.mode & 0o777]).toEqual([owner, owner, 0o600]);
        const sent = sendAsNobody(path!);
        if (owner === NOBODY) {
          expect(sent.status, sent.stderr).toBe(0);
          expect(await waitFor(() => bad.length === 1)).toBe(true);
        } else {
          expect(sent.status, sent.stderr).toBe(13);
        }
      } finally {
        await listener.stop();
      }
    }
  });
});
