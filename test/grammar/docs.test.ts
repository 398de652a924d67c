import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BLOCK_DIRECTIVES } from '../../compiler/check/keys.js';
import { DIRECTIVE_DOCS, ITEM_KEY_DOCS, withKeyTables } from '../../compiler/check/key-docs.js';
import { located, parseText } from '../helpers/grammar.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/language.md', import.meta.url)), 'utf8');
const blocks = [...doc.matchAll(/```(sh|ini)\n([\s\S]*?)```/g)].map((m) => m[2]!);

describe('docs/language.md examples', () => {
  it('has examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('parses the overview example with no diagnostics', () => {
    const text = blocks[0]!;
    expect(located(text, parseText(text).diagnostics)).toEqual([]);
    expect(parseText(text).value.statements.map((s) => s.kind)).toEqual([
      'command', 'command', 'section', 'section', 'block', 'heredoc-comment',
    ]);
  });

  it('reports exactly what the scoping example says', () => {
    const text = blocks.find((b) => b.includes('# R202'))!;
    expect(located(text, parseText(text).diagnostics)).toEqual(['4:1 R202']);
  });

  it('joins the continuation example as documented', () => {
    const text = blocks.find((b) => b.includes('from (.*)$'))!;
    const r = parseText(text);
    const section = r.value.statements[0]!;
    expect(section.kind === 'section' && section.entries[0]!.value).toBe(
      'error: PAM: Authentication failure for illegal user (.*) from (.*)$',
    );
  });
});

describe('docs/language.md key tables', () => {
  it('are the tables generated from compiler/check/key-docs.ts (npm run docs:language)', () => {
    expect(doc).toBe(withKeyTables(doc));
    // The generated table is really there, not only its markers.
    expect(doc).toContain(`| \`time_zone\` | ${ITEM_KEY_DOCS.time_zone.value} |`);
  });

  it('document every directive the checker knows, and no other', () => {
    for (const [block, specs] of Object.entries(BLOCK_DIRECTIVES)) {
      expect(Object.keys(DIRECTIVE_DOCS[block as keyof typeof BLOCK_DIRECTIVES]).sort()).toEqual(Object.keys(specs).sort());
    }
  });
});
