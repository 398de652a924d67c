/**
 * Snort's message maps, for alerts that come without their text (unified2 events carry only
 * gid:sid:rev): `sid-msg.map` in its first form (`sid || msg || ref...`, generator 1) and its
 * second (`#v2` then `gid || sid || rev || classtype || priority || msg || ref...`), and
 * `gen-msg.map` (`gid || sid || msg`), as barnyard2 reads them.
 */

/** Messages by `gid:sid`. */
export type SidMessages = ReadonlyMap<string, string>;

/** The key of a message. */
export function sidKey(gid: number, sid: number): string {
  return `${gid}:${sid}`;
}

/** Reads one map's text into `into`; returns the lines it could not read (1-based numbers), which are skipped. */
export function parseSidMessages(text: string, into: Map<string, string> = new Map()): { messages: Map<string, string>; skipped: number[] } {
  const skipped: number[] = [];
  let v2 = false;
  const number = (field: string | undefined): number | null => (field !== undefined && /^\d+$/.test(field) ? Number(field) : null);
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      if (/^#\s*v2\b/i.test(line)) v2 = true;
      return;
    }
    const fields = line.split('||').map((f) => f.trim());
    const [a, b, c] = [number(fields[0]), number(fields[1]), number(fields[2])];
    let entry: [number, number, string | undefined] | null = null;
    if (v2 && a !== null && b !== null && c !== null) entry = [a, b, fields[5]];
    else if (!v2 && a !== null && b !== null && fields.length === 3) entry = [a, b, fields[2]];
    else if (!v2 && a !== null) entry = [1, a, fields[1]];
    if (entry === null || entry[2] === undefined || entry[2] === '') {
      skipped.push(i + 1);
      return;
    }
    into.set(sidKey(entry[0], entry[1]), entry[2]);
  });
  return { messages: into, skipped };
}
