import { describe, expect, it } from 'vitest';
import { translateRegex } from '../../../compiler/regex/translate.js';
import { seededRandom } from '../../../compiler/seeded-random.js';
import { corpusLines, sampleLines } from '../../helpers/corpus.js';
import { patternFrom } from './generated-patterns.js';

function literals(source: string, flags = ''): string[] {
  const t = translateRegex(source, flags).value;
  if (!t) throw new Error(`untranslatable: ${source}`);
  return t.requiredLiterals;
}

/** Checks the prefilter's promise on real lines: every match contains every literal. Returns how many lines matched. */
function assertSound(source: string, flags: string, lines: readonly string[]): number {
  const t = translateRegex(source, flags).value!;
  const re = new RegExp(t.js, t.flags);
  let matched = 0;
  for (const line of lines) {
    const m = re.exec(line);
    if (!m) continue;
    matched++;
    const text = t.caseInsensitive ? m[0].toLowerCase() : m[0];
    for (const lit of t.requiredLiterals) {
      if (!text.includes(lit)) throw new Error(`${JSON.stringify(source)} /${flags}: match ${JSON.stringify(m[0])} lacks literal ${JSON.stringify(lit)}`);
    }
  }
  return matched;
}

describe('requiredLiterals', () => {
  it.each([
    ['error: PAM: Authentication failure for (.*) from (.*)$', '', ['error: PAM: Authentication failure for ', ' from ']],
    ['\\]: Invalid user (.*) from (.*)$', '', [']: Invalid user ', ' from ']],
    ['(?i)Failed Password for (\\S+)', '', ['failed password for ']],
    ['a(?:bc|bd)e', '', ['a', 'e']],
    ['x(?:abc)?y', '', ['x', 'y']],
    ['(ab)+c', '', ['ab', 'c']],
    ['ab{3}c', '', ['abbbc']],
    ['ab+c', '', ['ab', 'c']],
    ['a|b', '', []],
    ['.*', '', []],
    ['\\d+\\s\\w+', '', []],
    ['(?=root)\\w+', '', []],
    ['[.]log\\b\\.gz', '', ['.log.gz']],
    ['caf\\x{e9}', 'i', ['caf']],
    // With the u flag, caseless s and k also match U+017F and U+212A, which lower-case differently.
    ['xs\\p{L}KAB', 'i', ['ab', 'x']],
    ['xsKAB', 'i', ['xskab']],
    ['(?:user )?root', '', ['root']],
  ])('%j /%s → %j', (source, flags, expected) => {
    expect(literals(source, flags)).toEqual(expected);
  });

  it('drops runs contained in longer ones and lists the longest first', () => {
    expect(literals('from (\\S+) from host (\\S+) port')).toEqual([' from host ', ' port']);
  });

  const lines = sampleLines(200);

  it('holds for hand-written log patterns on real lines', () => {
    const patterns: [string, string][] = [
      ['Failed password for (?:invalid user )?(\\S+) from (\\S+) port (\\d+)', ''],
      ['sshd\\[\\d+\\]: (?:Accepted|Failed) (\\w+) for (\\S+)', ''],
      ['(?i)INVALID USER (\\S+) FROM', ''],
      ['"(?:GET|POST) (\\S+) HTTP/1\\.[01]" (404|500)', ''],
      ['\\[client ([\\d.]+)\\] user (\\S+) (?:not found|authentication failure)', ''],
      ['Received disconnect from ([\\d.]+)(?: port \\d+)?:\\s*11:', ''],
      ['pam_unix\\(sshd:auth\\): authentication failure;.*rhost=(\\S+)', ''],
      ['Connection (?:closed|reset) by (?:authenticating user \\S+ )?([\\d.]+)', 'i'],
    ];
    let matched = 0;
    for (const [source, flags] of patterns) matched += assertSound(source, flags, lines);
    expect(matched).toBeGreaterThan(50);
  });

  it('holds for 400 patterns generated from real lines (seeded)', () => {
    const random = seededRandom(20261123);
    const sources = corpusLines('loghub/OpenSSH_2k.log', 400).concat(corpusLines('elastic/apache_access.log', 200));
    let withLiterals = 0;
    let matched = 0;
    for (let i = 0; i < 400; i++) {
      const line = sources[Math.floor(random() * sources.length)]!;
      const [source, flags] = patternFrom(line, random);
      const t = translateRegex(source, flags).value;
      expect(t, source).not.toBeNull();
      expect(new RegExp(t!.js, t!.flags).test(line), `${source} matches the line it came from`).toBe(true);
      if (t!.requiredLiterals.length > 0) withLiterals++;
      matched += assertSound(source, flags, [line, ...lines]);
    }
    // The check is only worth something if most patterns carry literals and match many lines.
    expect(withLiterals).toBeGreaterThan(300);
    expect(matched).toBeGreaterThan(400);
  });
});
