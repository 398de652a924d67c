/**
 * The checker: a loaded Program in, the rule model and every R3xx diagnostic out. It never
 * throws on bad input; an item or block that cannot be built is left out of the model and
 * its problems are reported.
 */
import type { Section, Word } from '../../grammar/ast.js';
import type { Result } from '../../grammar/diagnostic.js';
import type { BlockModel, ModuleDeclaration, RuleModel } from '../model.js';
import type { Program } from '../program.js';
import { checkBlock } from './blocks.js';
import { checkModule, checkOtherCommand, checkSet, moduleLines } from './commands.js';
import { CheckContext } from './context.js';
import { checkEngine } from './engine.js';
import { ItemReader } from './items.js';
import { checkAttachmentNames, mimeFileWord } from './report.js';
import { checkSharedPaths, type ReadItem } from './shared-path.js';
import { indexSections } from './sections.js';

/** Checks a program and builds its rule model. */
export function check(program: Program): Result<RuleModel> {
  const ctx = new CheckContext(program);
  const sections: Section[] = [];
  const settings: Record<string, string> = {};
  const modules: ModuleDeclaration[] = [];
  const aliases = new Map<string, ModuleDeclaration>();
  const laterModules = moduleLines(program.statements);
  const blocks: BlockModel[] = [];
  const attachmentNames: Word[] = [];

  for (const statement of program.statements) {
    switch (statement.kind) {
      case 'section':
        sections.push(statement);
        break;
      case 'heredoc-comment':
        break;
      case 'match':
      case 'group':
        ctx.error('R316', `\`${statement.mode}\` is only allowed in a \`watch\` block`, statement.modeSpan);
        break;
      case 'block': {
        const block = checkBlock(ctx, statement, aliases, laterModules);
        if (block !== null) blocks.push(block);
        const mimeFile = mimeFileWord(statement);
        if (mimeFile !== undefined) attachmentNames.push(mimeFile);
        break;
      }
      case 'command': {
        const name = statement.name.value;
        if (name === 'set') checkSet(ctx, statement, settings);
        else if (name === 'module') {
          const declaration = checkModule(ctx, statement, aliases);
          if (declaration !== null) modules.push(declaration);
        }
        // A `source` left in place could not be loaded; load.ts has reported why.
        else if (name !== 'source') checkOtherCommand(ctx, statement, aliases);
        break;
      }
    }
  }

  checkAttachmentNames(ctx, attachmentNames);

  // [general] defaults apply wherever [general] appears, so items are read after every section is known.
  const index = indexSections(ctx, sections);
  const engine = checkEngine(ctx, index.general);
  const reader = new ItemReader(ctx, index.general);
  reader.checkDefaults();
  const read: ReadItem[] = [];
  for (const source of index.items) {
    const model = reader.item(source);
    if (model !== null) read.push({ model, source });
  }
  checkSharedPaths(ctx, read);
  const items = read.map((r) => r.model);

  return {
    value: {
      name: program.entry,
      files: [...program.files.keys()],
      settings,
      engine,
      items,
      blocks,
      modules,
    },
    diagnostics: ctx.diagnostics(),
  };
}
