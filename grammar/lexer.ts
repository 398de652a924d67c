/** The one lexer instance and a tokenize function that never throws. */
import { Lexer } from './chevrotain.js';
import type { ILexingError, IToken } from 'chevrotain';
import { lexContext } from './lex-context.js';
import { allTokens } from './tokens.js';

// Offsets are all the AST needs (line/column come from LineIndex at the edges), and
// offset-only tracking spares the lexer from counting line breaks inside tokens.
const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', safeMode: true });

export interface Tokens {
  readonly tokens: IToken[];
  readonly errors: ILexingError[];
}

/**
 * Splits `text` into tokens. `topLevel` enables INI value continuation, which heredoc
 * bodies do not have (INI lines are an error there).
 */
export function tokenize(text: string, topLevel: boolean): Tokens {
  lexContext.reset(topLevel);
  const result = lexer.tokenize(text);
  return { tokens: result.tokens, errors: result.errors };
}
