// The VS Code side of rulec: starts `rulec lsp` for .rules files and adds a command that shows
// the regex trial's matches in an output channel. Everything else comes from the server.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

/** Starts the language server; its command comes from the `rulec.command` setting. */
async function activate(context) {
  const command = vscode.workspace.getConfiguration('rulec').get('command', ['rulec']);
  const [program, ...args] = command.length > 0 ? command : ['rulec'];
  const server = { command: program, args: [...args, 'lsp'] };
  client = new LanguageClient('rulec', 'rulec', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'rules' }],
  });
  const output = vscode.window.createOutputChannel('rulec');
  context.subscriptions.push(output, vscode.commands.registerCommand('rulec.tryRegexAtCursor', async () => {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.languageId !== 'rules') return;
    const position = { line: editor.selection.active.line, character: editor.selection.active.character };
    const result = await client.sendRequest('workspace/executeCommand', {
      command: 'rulec.tryRegex',
      arguments: [editor.document.uri.toString(), position],
    });
    if (result === null || result === undefined) return;
    output.clear();
    output.appendLine(`pattern: ${result.pattern}${result.flags === '' ? '' : ` (flags ${result.flags})`}`);
    for (const problem of result.problems) output.appendLine(`  ${problem}`);
    for (const sample of result.samples) {
      output.appendLine(`${sample.file}: ${sample.matched} of ${sample.lines} lines matched${sample.abandoned > 0 ? `, ${sample.abandoned} abandoned` : ''}`);
      for (const match of sample.matches) {
        output.appendLine(`  ${match.line}: ${match.text}`);
        match.captures.forEach((value, i) => output.appendLine(`    $${i} = ${value === null ? '(unset)' : JSON.stringify(value)}`));
        for (const [name, value] of Object.entries(match.groups)) output.appendLine(`    $${name} = ${value === null ? '(unset)' : JSON.stringify(value)}`);
      }
    }
    output.show(true);
  }));
  await client.start();
}

function deactivate() {
  return client === undefined ? undefined : client.stop();
}

module.exports = { activate, deactivate };
