/**
 * The registry of diagnostic codes. A code, once published, keeps its meaning and is never
 * reused: retire a code by leaving its line here with `retired: true`.
 * R1xx lexing, R2xx parsing and includes, R3xx checks, R4xx code generation.
 */
export interface CodeInfo {
  readonly title: string;
  readonly retired?: boolean;
}

/** Every code with its title, grouped by stage. */
export const codes = {
  // Lexing
  R101: { title: 'unexpected character' },
  R102: { title: 'unterminated quoted string' },
  R103: { title: 'unterminated heredoc' },
  R104: { title: 'unterminated regex literal' },
  R105: { title: 'text after a heredoc opener' },

  // Parsing and includes
  R201: { title: 'syntax error' },
  R202: { title: 'key outside a section' },
  R203: { title: '`end` without `do`' },
  R204: { title: '`do` without `end`' },
  R205: { title: 'source file not found' },
  R206: { title: 'source include cycle' },
  R207: { title: 'source not allowed here' },
  R208: { title: 'INI section inside a heredoc block' },
  R209: { title: 'value continued on the next line' },
  R210: { title: 'blocks nested too deeply' },
  R211: { title: 'a rulec bundle, not a rule file' },

  // Checks
  R301: { title: 'unknown key' },
  R302: { title: 'missing required key' },
  R303: { title: 'invalid frequency' },
  R304: { title: 'invalid size' },
  R305: { title: 'invalid boolean' },
  R306: { title: 'invalid number' },
  R307: { title: 'invalid regex' },
  R308: { title: 'regex feature not translatable to JavaScript' },
  R309: { title: 'regex may backtrack catastrophically' },
  R310: { title: 'action references a capture group the regex lacks' },
  R311: { title: 'invalid action template' },
  R312: { title: 'shell action: captures travel as environment variables only' },
  R313: { title: 'duplicate section' },
  R314: { title: 'duplicate key' },
  R315: { title: 'unknown block kind' },
  R316: { title: 'unknown directive' },
  R317: { title: 'missing required directive' },
  R318: { title: 'wrong number of arguments' },
  R319: { title: 'unknown setting' },
  R320: { title: 'key only allowed in [general]' },
  R321: { title: 'invalid enumerated value' },
  R322: { title: 'item has no action' },
  R323: { title: 'typographic quotes read as ASCII quotes' },
  R324: { title: 'module alias redefined' },
  R325: { title: 'frequency without an action' },
  R326: { title: 'per-key counting with no key' },
  R327: { title: 'action puts log text into code an interpreter runs' },
  R328: { title: 'action text a shell would expand is passed as it is' },
  R329: { title: 'items on one path disagree on how to read it' },

  // Code generation
  R401: { title: 'code generation failed' },
} as const satisfies Record<string, CodeInfo>;

/** A known diagnostic code, such as `R301`. */
export type Code = keyof typeof codes;
