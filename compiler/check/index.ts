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
import { checkWindowMemory } from './memory.js';
import { checkAttachmentNames, mimeFileWord } from './report.js';
import { checkSharedPaths, type ReadItem } from './shared-path.js';
import { indexSections, type IndexedItem } from './sections.js';
import { attachRules, checkMailHandlers, ruleItems } from './snort.js';
import { checkGeneralSnort } from './snort-rule.js';
import { checkDigestMail } from './watch.js';

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
  const ruleBlocks: IndexedItem[] = [];

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
        if (statement.name.value === 'snort') ruleBlocks.push(...ruleItems(ctx, statement));
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
  checkMailHandlers(ctx, program.statements, settings);
  checkDigestMail(ctx, program.statements, settings);

  // [general] defaults apply wherever [general] appears, so items are read after every section is known.
  const index = indexSections(ctx, sections);
  const engine = checkEngine(ctx, index.general);
  const reader = new ItemReader(ctx, index.general);
  reader.checkDefaults();
  checkGeneralSnort(ctx, index.general);
  const read: ReadItem[] = [];
  for (const source of [...index.items, ...uniqueRules(ctx, index.items, ruleBlocks)]) {
    const model = reader.item(source);
    if (model !== null) read.push({ model, source });
  }
  checkWindowMemory(ctx, read, index.general);
  // Snort rules count alerts, not a file's lines: they go to their listener's block.
  const fileItems = read.filter((r) => r.model.alert === undefined);
  checkSharedPaths(ctx, fileItems);
  attachRules(ctx, blocks, read.filter((r) => r.model.alert !== undefined).map((r) => r.model));
  const items = fileItems.map((r) => r.model);

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

/** `rule` blocks whose names no item or earlier rule has (R353 for the others). */
function uniqueRules(ctx: CheckContext, items: readonly IndexedItem[], rules: readonly IndexedItem[]): IndexedItem[] {
  const seen = new Map(items.map((item) => [item.section.name, item.section.nameSpan]));
  return rules.filter((rule) => {
    const first = seen.get(rule.section.name);
    if (first !== undefined) {
      ctx.error('R353', `duplicate rule name \`${rule.section.name}\``, rule.section.nameSpan, { labels: [{ span: first, message: 'first defined here' }] });
      return false;
    }
    seen.set(rule.section.name, rule.section.nameSpan);
    return true;
  });
}
