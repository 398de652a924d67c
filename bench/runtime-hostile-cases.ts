/**
 * The regex catalogue of runtime-hostile: patterns that backtrack on a crafted line, each with
 * such a line. The first ones are issue 15's (lookarounds, `\p{..}`, a back reference: outside
 * V8's linear-time engine, 3-7 s per ~64 KiB line before), then shapes inside it (the seeds'
 * `(.*) from (.*)$`, the address pattern, R309's exponential one). Each `pcre` is also valid
 * JavaScript with the same meaning (with `u` where `unicode`), so the unbounded baseline can run
 * it as written.
 */
export interface HostileCase {
  readonly name: string;
  readonly pcre: string;
  readonly caseless: boolean;
  readonly unicode?: boolean;
  readonly line: string;
}

const KIB = 1024;
const LINE = 64 * KIB - 1;

export const HOSTILE: readonly HostileCase[] = [
  { name: '(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)(?=\\s) on 64 KiB of digits and a dot', pcre: '(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)(?=\\s)', caseless: false, line: `${'1'.repeat(LINE - 1)}.` },
  { name: '(\\S+)@(\\S+)(?= ) on 64 KiB without a space, one @', pcre: '(\\S+)@(\\S+)(?= )', caseless: false, line: `${'x'.repeat(LINE - 2)}@y` },
  { name: '(\\p{L}+)@(\\S+) on 64 KiB of letters and an @', pcre: '(\\p{L}+)@(\\S+)', caseless: false, unicode: true, line: `${'a'.repeat(LINE - 1)}@` },
  { name: '(\\w+)=(\\w+);(?!x) on 64 KiB of letters, = and ;', pcre: '(\\w+)=(\\w+);(?!x)', caseless: false, line: `${'a'.repeat(LINE - 2)}=;` },
  { name: '^(?=\\w)(\\w+\\s?)*$ on 29 characters', pcre: '^(?=\\w)(\\w+\\s?)*$', caseless: false, line: `${'a'.repeat(28)}!` },
  { name: '(\\w+) \\1; on two 32 KiB words', pcre: '(\\w+) \\1;', caseless: false, line: `${'a'.repeat(LINE / 2)} ${'a'.repeat(LINE / 2 - 2)};` },
  { name: 'seed \\]: Invalid user (.*) from (.*)$ on 64 KiB of its prefix', pcre: '\\]: Invalid user (.*) from (.*)$', caseless: false, line: ']: Invalid user '.repeat(LINE / 16) },
  { name: 'IPv4 (\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+) on 64 KiB of digits and a dot', pcre: '(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)', caseless: false, line: `${'1'.repeat(LINE - 1)}.` },
  { name: 'caseless (\\S+) from (\\S+) on 64 KiB, FROM at the end', pcre: '(\\S+) from (\\S+)', caseless: true, line: `${'x'.repeat(LINE - 6)} FROM ` },
  { name: '^(\\w+\\s?)*$ on 24 letters and "!"', pcre: '^(\\w+\\s?)*$', caseless: false, line: `${'a'.repeat(24)}!` },
];
