/** What a test can see of another process through /proc (Linux, like the product). */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Local addresses (hex, as /proc/net/tcp* gives them) of TCP sockets `pid` listens on. */
export function listeningSockets(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[')) inodes.add(link.slice(8, -1));
    } catch {
      // Closed meanwhile.
    }
  }
  const listening: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      // sl local_address rem_address st ... inode (10th field); 0A is LISTEN.
      if (fields[3] === '0A' && inodes.has(fields[9] ?? '')) listening.push(fields[1] ?? '');
    }
  }
  return listening;
}

/** Whether process `pid` has a handler for signal number `signal` (SigCgt in /proc/PID/status). */
export function catchesSignal(pid: number, signal: number): boolean {
  try {
    const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) & (1n << BigInt(signal - 1))) !== 0n;
  } catch {
    return false;
  }
}

/** How many descriptors process `pid` holds open on the file at `path`. */
export function descriptorsOn(pid: number, path: string): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) count++;
    } catch {
      // Closed meanwhile.
    }
  }
  return count;
}

/** Fields 3 on of /proc/PID/stat (state, ppid, ...), or null when the process is gone. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ...": comm may hold spaces and parentheses, so read after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** True while process `pid` runs (a zombie waiting for its parent to reap it counts as gone). */
export function running(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z';
}

/** Processes whose parent is `pid`, with their state letter ('Z' for a zombie not reaped yet). */
export function childrenOf(pid: number): { pid: number; state: string }[] {
  const children: { pid: number; state: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const [state, parent] = statFields(name) ?? [];
    if (state !== undefined && Number(parent) === pid) children.push({ pid: Number(name), state });
  }
  return children;
}

/** /proc/PID/cmdline or /proc/PID/environ as its NUL-separated entries; empty when the process is gone. */
export function procStrings(pid: number, file: 'cmdline' | 'environ'): string[] {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');
  } catch {
    return [];
  }
}
