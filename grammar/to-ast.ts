/**
 * CST → AST for one range of the file (the whole file, or a heredoc body lexed as a slice with
 * its base offset, so every span points into the whole file). Bodies are parsed recursively.
 */
import type { CstNode, IToken } from 'chevrotain';
import type {
  BlockStatement, CommandStatement, Entry, GroupStatement, HeredocComment, MatchOperand, MatchStatement,
  Statement, Word,
} from './ast.js';
import type { Code } from './codes.js';
import type { Diagnostic, Severity, Span } from './diagnostic.js';
import { tokenize } from './lexer.js';
import { parseTokens } from './parser.js';
import type { EntryPayload, HeaderPayload, HeredocPayload, RegexPayload } from './scanners.js';
import { atLineStart } from './scanners.js';
import { rejectSections, scopeSections } from './sections.js';
import type { Item } from './sections.js';
import { decodeWord } from './words.js';

export interface Context {
  readonly file: string;
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

type Children = Record<string, (CstNode | IToken)[] | undefined>;

/** A printable one-line excerpt of source text for messages. */
function excerpt(raw: string): string {
  const line = raw.replace(/\r?\n[\s\S]*$/, '…');
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

/** How deep blocks may nest; deeper bodies are reported, not parsed (bounds stack and time). */
export const MAX_BLOCK_DEPTH = 32;

/** Lexes, parses and converts `[start, end)` of the file; `depth` counts enclosing blocks. */
export function parseRange(ctx: Context, start: number, end: number, depth: number, parentTag?: string): Statement[] {
  return new Converter(ctx, start, depth, parentTag).run(ctx.text.slice(start, end));
}

class Converter {
  /** End of the last real token seen: where a token inserted by recovery (NaN offset) goes. */
  private lastEnd: number;

  private readonly topLevel: boolean;

  constructor(
    private readonly ctx: Context,
    private readonly base: number,
    private readonly depth: number,
    private readonly parentTag: string | undefined,
  ) {
    this.lastEnd = base;
    this.topLevel = depth === 0;
  }

  run(slice: string): Statement[] {
    const { tokens, errors } = tokenize(slice, this.topLevel);
    for (const e of errors) {
      const ch = slice.codePointAt(e.offset) ?? 0;
      const code = `U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
      this.report('R101', `unexpected character ${code}`, this.at(e.offset, e.offset + e.length));
    }
    const parsed = parseTokens(tokens);
    for (const e of [...parsed.errors]) {
      const token = Number.isNaN(e.token.startOffset) ? undefined : e.token;
      const prev = (e as { previousToken?: IToken }).previousToken;
      const at = token ?? prev;
      const offset = at === undefined || Number.isNaN(at.startOffset) ? slice.length : at.startOffset + (token ? 0 : at.image.length);
      this.report('R201', `syntax error: ${excerpt(e.message)}`, this.at(offset, offset + (token?.image.length ?? 0)));
    }
    const items: Item[] = [];
    for (const statement of this.nodes(parsed.cst.children, 'statement')) {
      const item = this.statement(statement);
      if (item) items.push(item);
    }
    return this.topLevel ? scopeSections(items, this.ctx.diagnostics) : rejectSections(items, this.ctx.diagnostics);
  }

  private report(code: Code, message: string, span: Span, severity: Severity = 'error', notes?: string[]): void {
    this.ctx.diagnostics.push({ code, severity, message, span, ...(notes ? { notes } : {}) });
  }

  private at(start: number, end: number): Span {
    return { file: this.ctx.file, start: this.base + start, end: this.base + Math.max(start, end) };
  }

  private span(token: IToken): Span {
    if (Number.isNaN(token.startOffset)) return { file: this.ctx.file, start: this.lastEnd, end: this.lastEnd };
    const s = this.at(token.startOffset, token.startOffset + token.image.length);
    this.lastEnd = s.end;
    return s;
  }

  private join(a: Span, b: Span): Span {
    return { file: a.file, start: a.start, end: Math.max(a.end, b.end) };
  }

  private nodes(children: Children, key: string): CstNode[] {
    return (children[key] ?? []) as CstNode[];
  }

  private tokens(children: Children, key: string): IToken[] {
    return (children[key] ?? []) as IToken[];
  }

  private statement(node: CstNode): Item | undefined {
    // A node that error recovery left empty has no children at all.
    const [kind, list] = Object.entries(node.children)[0] ?? ['', []];
    const child = list[0] as CstNode;
    switch (kind) {
      case 'header': return this.header(child.children);
      case 'entry': return this.entry(child.children);
      case 'group': return this.group(child.children);
      case 'match': return this.match(child.children);
      case 'command': return this.command(child.children);
      case 'heredocComment': return this.heredocComment(child.children);
      case 'strayEnd': {
        const end = this.tokens(child.children, 'KwEnd')[0]!;
        this.report('R203', '`end` without `do`', this.span(end));
        this.lineEnd(this.nodes(child.children, 'lineEnd')[0], true);
        return undefined;
      }
      case 'strayOperand': {
        const op = this.tokens(this.nodes(child.children, 'operand')[0]!.children, 'MatchOp')[0]!;
        const where = atLineStart(this.ctx.text, this.span(op).start)
          ? 'outside a `do ignore` or `do filter` group'
          : 'in a command line (quote it to pass it as a word)';
        this.report('R201', `match operator \`${op.image}\` ${where}`, this.span(op));
        this.lineEnd(this.nodes(child.children, 'lineEnd')[0], true);
        return undefined;
      }
      default:
        return undefined; // blank line or comment
    }
  }

  /** Reports stray text at the end of a line once, unless the line already had an error. */
  private lineEnd(node: CstNode | undefined, hadError: boolean): void {
    const junk = node ? this.tokens(node.children, 'junk') : [];
    if (junk.length === 0 || hadError) return;
    const span = this.join(this.span(junk[0]!), this.span(junk[junk.length - 1]!));
    this.report('R201', `unexpected \`${excerpt(junk[0]!.image)}\` at the end of the statement`, span);
  }

  private header(children: Children): Item {
    const token = this.tokens(children, 'Header')[0]!;
    const p = token.payload as HeaderPayload;
    const span = this.span(token);
    let error = true;
    if (!p.closed) this.report('R201', 'section header is missing its closing `]`', span);
    else if (p.name === '') this.report('R201', 'empty section name', span);
    else error = false;
    this.lineEnd(this.nodes(children, 'lineEnd')[0], error);
    return { kind: 'header-line', name: p.name, nameSpan: this.at(p.nameStart, p.nameEnd), span };
  }

  private entry(children: Children): Entry {
    const token = this.tokens(children, 'Entry')[0]!;
    const p = token.payload as EntryPayload;
    const span = this.span(token);
    for (const c of p.continuations) {
      this.report('R209', `value of \`${p.key}\` continues on this line, joined with one space`, this.at(c.start, c.end), 'info');
    }
    this.lineEnd(this.nodes(children, 'lineEnd')[0], false);
    return {
      kind: 'entry', key: p.key, keySpan: this.at(token.startOffset, p.keyEnd), value: p.value,
      valueSpan: this.at(p.valueStart, p.valueEnd), span,
    };
  }

  private mode(node: CstNode): { mode: 'ignore' | 'filter'; modeSpan: Span } {
    const ignore = this.tokens(node.children, 'KwIgnore')[0];
    const token = ignore ?? this.tokens(node.children, 'KwFilter')[0]!;
    return { mode: ignore ? 'ignore' : 'filter', modeSpan: this.span(token) };
  }

  private operand(node: CstNode): MatchOperand | undefined {
    const op = this.tokens(node.children, 'MatchOp')[0]!;
    const opSpan = this.span(op);
    const literal = this.tokens(node.children, 'RegexLiteral')[0];
    if (!literal || Number.isNaN(literal.startOffset)) {
      this.report('R201', `expected a \`/regex/\` after \`${op.image}\``, { ...opSpan, start: opSpan.end });
      return undefined;
    }
    const p = literal.payload as RegexPayload;
    const span = this.join(opSpan, this.span(literal));
    if (!p.terminated) {
      this.report('R104', 'unterminated regex literal: add the closing `/`', this.at(literal.startOffset, p.patternEnd));
    }
    const flagsStart = p.terminated ? p.patternEnd + 1 : p.patternEnd;
    return {
      kind: 'operand', negated: op.image === '!~', pattern: literal.image.slice(1, p.patternEnd - literal.startOffset),
      flags: literal.image.slice(flagsStart - literal.startOffset), patternSpan: this.at(p.patternStart, p.patternEnd),
      flagsSpan: this.at(flagsStart, p.flagsEnd), span,
    };
  }

  private match(children: Children): MatchStatement | undefined {
    const { mode, modeSpan } = this.mode(this.nodes(children, 'mode')[0]!);
    const operand = this.operand(this.nodes(children, 'operand')[0]!);
    this.lineEnd(this.nodes(children, 'lineEnd')[0], operand === undefined);
    if (!operand) return undefined;
    return { kind: 'match', mode, modeSpan, operand, span: this.join(modeSpan, operand.span) };
  }

  private group(children: Children): GroupStatement | undefined {
    const doSpan = this.span(this.tokens(children, 'KwDo')[0]!);
    const modeNode = this.nodes(children, 'mode')[0];
    const mode = modeNode ? this.mode(modeNode) : undefined;
    const head = mode ? this.join(doSpan, mode.modeSpan) : doSpan;
    if (!mode) this.report('R201', '`do` needs `ignore` or `filter`', doSpan);
    const lineEnds = this.nodes(children, 'lineEnd');
    this.lineEnd(lineEnds[0], !mode);
    const operands: MatchOperand[] = [];
    for (const line of this.nodes(children, 'groupLine')) {
      const node = this.nodes(line.children, 'operand')[0];
      if (!node) continue;
      const operand = this.operand(node);
      if (operand) operands.push(operand);
      this.lineEnd(this.nodes(line.children, 'lineEnd')[0], !operand);
    }
    const end = this.tokens(children, 'KwEnd')[0];
    let span = operands.length > 0 ? this.join(head, operands[operands.length - 1]!.span) : head;
    if (end) {
      span = this.join(span, this.span(end));
      this.lineEnd(lineEnds[1], false);
    } else if (mode) {
      this.report('R204', '`do` without `end`', head, 'error', ['close the group with a line `end` after its last operand']);
    }
    if (!mode) return undefined;
    return { kind: 'group', mode: mode.mode, modeSpan: mode.modeSpan, operands, span };
  }

  private word(token: IToken): Word {
    const span = this.span(token);
    const decoded = decodeWord(token.image);
    if (decoded.unclosedQuote !== undefined) {
      const quote = token.image[decoded.unclosedQuote];
      this.report('R102', `unterminated quoted string: add the closing ${quote === '"' ? '`"`' : "`'`"}`, {
        ...span, start: span.start + decoded.unclosedQuote,
      });
    }
    return { kind: 'word', value: decoded.value, raw: token.image, quoted: decoded.quoted, span };
  }

  /** Reports R103/R105 for a heredoc token; returns the span of `<<TAG`. */
  private heredoc(token: IToken): { payload: HeredocPayload; openerSpan: Span; span: Span } {
    const payload = token.payload as HeredocPayload;
    const span = this.span(token);
    const openerSpan = this.at(token.startOffset, payload.tagEnd);
    if (payload.restEnd > payload.restStart && this.ctx.text.charCodeAt(this.base + payload.restStart) !== 35) {
      this.report('R105', `unexpected text after \`<<${payload.tag}\``, this.at(payload.restStart, payload.restEnd), 'error', [
        'only a `#` comment may follow the heredoc tag on its line',
      ]);
    }
    if (!payload.terminated) {
      const notes = [`the rest of the file was read as its body; end it with a line \`${payload.tag}\``];
      if (payload.tag === this.parentTag) notes.push('a nested block needs a tag different from its parent\'s');
      this.report('R103', `unterminated heredoc \`<<${payload.tag}\``, openerSpan, 'error', notes);
    }
    return { payload, openerSpan, span };
  }

  private heredocComment(children: Children): HeredocComment {
    const { payload, span } = this.heredoc(this.tokens(children, 'Heredoc')[0]!);
    this.lineEnd(this.nodes(children, 'lineEnd')[0], false);
    return { kind: 'heredoc-comment', tag: payload.tag, span };
  }

  private command(children: Children): CommandStatement | BlockStatement {
    const name = this.word(this.tokens(children, 'name')[0]!);
    const args = this.tokens(children, 'args').map((t) => this.word(t));
    const token = this.tokens(children, 'Heredoc')[0];
    if (!token) {
      this.lineEnd(this.nodes(children, 'lineEnd')[0], false);
      const last = args[args.length - 1];
      return { kind: 'command', name, args, span: last ? this.join(name.span, last.span) : name.span };
    }
    const { payload, openerSpan, span } = this.heredoc(token);
    this.lineEnd(this.nodes(children, 'lineEnd')[0], false);
    const bodyStart = this.base + payload.bodyStart;
    const bodyEnd = this.base + payload.bodyEnd;
    let body: Statement[] = [];
    if (this.depth < MAX_BLOCK_DEPTH) body = parseRange(this.ctx, bodyStart, bodyEnd, this.depth + 1, payload.tag);
    else this.report('R210', `blocks nested more than ${MAX_BLOCK_DEPTH} deep; this body is not read`, openerSpan);
    return {
      kind: 'block', name, args, tag: payload.tag, body, bodySpan: { file: this.ctx.file, start: bodyStart, end: bodyEnd },
      openerSpan, span: this.join(name.span, span),
    };
  }
}
