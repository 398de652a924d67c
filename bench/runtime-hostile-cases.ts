/**
 * Hostile lines for patterns that backtrack: an exponential shape the lint warns about (R309),
 * and ordinary log patterns that are quadratic in the length of a run they cannot finish. Each
 * `pcre` is also valid JavaScript with the same meaning, so the unbounded baseline can run it as
 * written.
 */
export interface HostileCase {
  readonly name: string;
  readonly pcre: string;
  readonly caseless: boolean;
  readonly line: string;
}

const KIB = 1024;

export const HOSTILE: readonly HostileCase[] = [
  { name: '^(\\w+\\s?)*$ on 24 letters and "!"', pcre: '^(\\w+\\s?)*$', caseless: false, line: `${'a'.repeat(24)}!` },
  { name: 'IPv4 (\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+) on 16 KiB of digits', pcre: '(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)', caseless: false, line: '1'.repeat(16 * KIB) },
  { name: 'caseless (\\S+) from (\\S+) on 16 KiB without a space', pcre: '(\\S+) from (\\S+)', caseless: true, line: 'x'.repeat(16 * KIB) },
  { name: '(\\S+)=(\\S+); on 16 KiB without "="', pcre: '(\\S+)=(\\S+);', caseless: false, line: 'k'.repeat(16 * KIB) },
];
