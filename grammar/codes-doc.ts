/** `docs/codes.md`, generated from the code registry so the two cannot drift apart. */
import { codes, type CodeInfo } from './codes.js';

const STAGES: readonly (readonly [string, string])[] = [
  ['R1', 'Lexing'],
  ['R2', 'Parsing and includes'],
  ['R3', 'Checks'],
  ['R4', 'Code generation'],
];

/** The text of `docs/codes.md`. */
export function codesMarkdown(): string {
  const entries = Object.entries(codes) as [string, CodeInfo][];
  const out = [
    '# Diagnostic codes',
    '',
    '<!-- Generated from grammar/codes.ts by `npm run docs:codes`; edit the registry, not this file. -->',
    '',
    'Every diagnostic `rulec check`, the language server and the other commands print carries one of',
    'these codes. A code keeps its meaning for ever; a retired code is never given a new one.',
    '',
  ];
  for (const [prefix, stage] of STAGES) {
    out.push(`## ${stage} (${prefix}xx)`, '');
    for (const [code, info] of entries.filter(([c]) => c.startsWith(prefix))) {
      out.push(`### ${code}: ${info.title}${info.retired === true ? ' (retired)' : ''}`, '', info.description, '', `**Fix:** ${info.fix}`, '');
    }
  }
  return out.join('\n');
}
