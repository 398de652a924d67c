/**
 * What a rule file that mails (a `handler mail`, a watch's `every` digest) needs from its `set`
 * lines, read once every `set` of the file is known, wherever it stands.
 */
import type { CommandStatement, Statement } from '../../grammar/ast.js';
import { MAIL_SETTINGS_NEEDED } from '../../runtime/index.js';

/** The settings mailing needs that `settings` lacks, as `` `set to`, `set pgp` ``; null when none. */
export function missingMailSettings(settings: Readonly<Record<string, string>>): string | null {
  const missing = MAIL_SETTINGS_NEEDED.filter((key) => !Object.hasOwn(settings, key));
  return missing.length === 0 ? null : missing.map((key) => `\`set ${key}\``).join(', ');
}

/** Each `command` line directly in a top-level `block` block. */
export function* blockCommands(statements: readonly Statement[], block: string, command: string): Generator<CommandStatement> {
  for (const statement of statements) {
    if (statement.kind !== 'block' || statement.name.value !== block) continue;
    for (const line of statement.body) if (line.kind === 'command' && line.name.value === command) yield line;
  }
}
