/**
 * A program: an entry rule file with its `source` includes resolved, the input of `check`.
 * Produced by `load.ts`, the only reader of rule files.
 */
import type { RulesFile, Statement } from '../grammar/ast.js';

/** A loaded rule program: the entry file and everything it includes. */
export interface Program {
  /** The entry file name as given. */
  readonly entry: string;
  /** Every parsed file keyed by its name, entry first, in include order. */
  readonly files: ReadonlyMap<string, RulesFile>;
  /**
   * Top-level statements in program order: each `source` command is replaced by the
   * statements of the file it includes (spans still point into that file).
   */
  readonly statements: readonly Statement[];
}
