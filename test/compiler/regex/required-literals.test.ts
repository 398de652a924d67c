import { describe, expect, it } from 'vitest';
import { translateRegex } from '../../../compiler/regex/translate.js';
import { corpusLines, sampleLines } from './corpus.js';

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

/** A small seeded generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const escapeChar = (c: string): string => (/[\\^$.*+?()[\]{}|/#\s]/.test(c) ? (c === ' ' ? '\\x20' : c === '\t' ? '\\t' : `\\${c}`) : c);

/** Builds a pattern from a slice of a real line, generalising pieces the way rule writers do. */
function patternFrom(line: string, random: () => number): [string, string] {
  const start = Math.floor(random() * Math.max(1, line.length - 12));
  const slice = line.slice(start, start + 12 + Math.floor(random() * 40));
  const tokens = slice.match(/\d+|[A-Za-z_]+|\s+|./gu) ?? [];
  let out = '';
  const caseless = random() < 0.3;
  for (const tok of tokens) {
    const r = random();
    if (/^\d+$/.test(tok)) out += r < 0.5 ? '\\d+' : r < 0.7 ? `(\\d{1,${tok.length}})` : r < 0.8 ? `${tok}?` : tok;
    else if (/^[A-Za-z_]+$/.test(tok)) {
      const word = caseless && random() < 0.5 ? tok.toUpperCase() : tok;
      out += r < 0.2 ? '(\\w+)' : r < 0.3 ? `(?:${word}|xyz)` : r < 0.4 ? `(?:${word})?` : r < 0.45 ? '.*' : r < 0.5 ? `${word}+` : r < 0.55 ? `[${tok[0]}]${word.slice(1)}` : word;
    } else if (/^\s+$/.test(tok)) out += r < 0.3 ? '\\s+' : r < 0.4 ? ' *' : [...tok].map(escapeChar).join('');
    else out += r < 0.15 ? '.' : r < 0.2 ? `${escapeChar(tok)}{1}` : [...tok].map(escapeChar).join('');
  }
  return [out, caseless ? 'i' : ''];
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
    const random = rng(20261123);
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
