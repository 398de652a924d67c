import { spawnSync } from 'node:child_process';

/** One line's outcome: null when no match, else the captures (undefined for a group that did not take part). */
export type Outcome = (string | undefined)[] | null;

// Perl is the reference for Perl/PCRE syntax. `/a` keeps \d, \s, \w and POSIX classes ASCII, as PCRE is without UCP.
const SCRIPT = String.raw`
use strict; use warnings; use JSON::PP;
local $/; my $in = JSON::PP->new->utf8->decode(<STDIN>);
my @out;
for my $case (@{$in->{cases}}) {
  my ($pattern, $flags) = @$case;
  my $re = eval { $flags eq '' ? qr/$pattern/a : qr/(?$flags)$pattern/a };
  if (!$re) { push @out, { error => "$@" }; next; }
  my @lines;
  for my $line (@{$in->{lines}}) {
    if ($line =~ $re) {
      push @lines, [ map { defined $-[$_] ? substr($line, $-[$_], $+[$_] - $-[$_]) : undef } 0 .. $#+ ];
    } else { push @lines, undef; }
  }
  push @out, { lines => \@lines };
}
print JSON::PP->new->utf8->canonical->encode(\@out);
`;

/** Runs every pattern over every line in one real Perl process (bounded by a timeout). */
export function perlMatches(cases: readonly (readonly [string, string])[], lines: readonly string[]): ({ error: string } | { lines: Outcome[] })[] {
  const run = spawnSync('perl', ['-e', SCRIPT], {
    input: JSON.stringify({ cases, lines }),
    encoding: 'utf8',
    timeout: 20_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`perl failed: ${run.stderr || run.error?.message}`);
  const parsed = JSON.parse(run.stdout) as ({ error: string } | { lines: ((string | null)[] | null)[] })[];
  return parsed.map((r) => ('error' in r ? r : { lines: r.lines.map((l) => (l === null ? null : l.map((c) => (c === null ? undefined : c)))) }));
}

/** The same outcome from a JS regex. */
export function jsMatch(re: RegExp, line: string): Outcome {
  const m = re.exec(line);
  return m === null ? null : [...m];
}
