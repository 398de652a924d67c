/**
 * The VS Code extension's parts that need no VS Code: the manifest points at files that exist,
 * and the TextMate grammar, run by the same engine VS Code uses (vscode-textmate with
 * Oniguruma), colours comments, sections, keys, patterns, blocks and captures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';

const EXTENSION = fileURLToPath(new URL('../../lsp/vscode/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(EXTENSION, 'package.json'), 'utf8'));

async function grammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async () => vsctm.parseRawGrammar(readFileSync(join(EXTENSION, manifest.contributes.grammars[0].path), 'utf8'), 'rules.tmLanguage.json'),
  });
  return (await registry.loadGrammar('source.rules'))!;
}

/** Each line's tokens as `text=last scope`, blanks left out. */
function tokenize(g: vsctm.IGrammar, text: string): string[][] {
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = g.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens
      .map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]!] as const)
      .filter(([piece]) => piece.trim() !== '')
      .map(([piece, scope]) => `${piece.trim()}=${scope}`);
  });
}

describe('VS Code extension', () => {
  it('has a manifest whose files exist, a language for .rules and the server command', () => {
    const contributes = manifest.contributes;
    expect(contributes.languages[0].extensions).toEqual(['.rules']);
    for (const file of [manifest.main, contributes.languages[0].configuration, contributes.grammars[0].path]) {
      expect(existsSync(join(EXTENSION, file)), file).toBe(true);
    }
    const configuration = JSON.parse(readFileSync(join(EXTENSION, contributes.languages[0].configuration), 'utf8'));
    expect(configuration.comments).toEqual({ lineComment: '#' });
    expect(configuration.brackets).toContainEqual(['[', ']']);
    expect(readFileSync(join(EXTENSION, manifest.main), 'utf8')).toContain("[...args, 'lsp']");
  });

  it('highlights with the TextMate grammar as VS Code would', async () => {
    const g = await grammar();
    const lines = tokenize(g, [
      '# a comment',
      '[SSH]',
      'regex = Failed (\\S+)',
      'upbound_action = /bin/echo "$1"',
      'watch <<__W',
      '    ignore =~ /MARK/i',
      '__W',
      '<<__C',
      'set nothing',
      '__C',
    ].join('\n'));
    expect(lines).toEqual([
      ['# a comment=comment.line.number-sign.rules'],
      ['[=punctuation.definition.section.rules', 'SSH=entity.name.section.rules', ']=punctuation.definition.section.rules'],
      ['regex=variable.other.property.rules', '==keyword.operator.assignment.rules', 'Failed (\\S+)=string.regexp.rules'],
      ['upbound_action=variable.other.property.rules', '==keyword.operator.assignment.rules', '/bin/echo "=string.unquoted.value.rules', '$1=variable.other.capture.rules', '"=string.unquoted.value.rules'],
      ['watch=keyword.control.rules', '<<=keyword.operator.heredoc.rules', '__W=entity.name.tag.heredoc.rules'],
      ['ignore=keyword.control.rules', '=~=keyword.operator.match.rules', '/=punctuation.definition.string.begin.rules', 'MARK=string.regexp.rules', '/=punctuation.definition.string.end.rules', 'i=keyword.other.flags.rules'],
      ['__W=entity.name.tag.heredoc.rules'],
      ['<<__C=comment.block.heredoc.rules'],
      ['set nothing=comment.block.heredoc.rules'],
      ['__C=comment.block.heredoc.rules'],
    ]);
  });
});
