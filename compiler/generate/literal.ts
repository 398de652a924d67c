/**
 * The generated module's expressions as a small syntax tree, and their printer. Every value
 * from a rule file enters as a node built from the value (a string node escapes its text when
 * printed, an identifier node refuses anything but an identifier), never as pasted text. The
 * printer writes what TypeScript's printer wrote for the same tree (golden files, and a test
 * against `ts.transpileModule`), without loading TypeScript: a few milliseconds for 200 rules
 * where TypeScript's factory, printer and transpiler took seconds.
 */

/** An expression of the generated module. */
export type Expr =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'array'; readonly elements: readonly Expr[]; readonly multiLine: boolean }
  | { readonly kind: 'object'; readonly properties: readonly Property[]; readonly multiLine: boolean }
  | { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly kind: 'new'; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly kind: 'member'; readonly object: Expr; readonly name: string }
  | { readonly kind: 'arrow'; readonly param: string; readonly type: string; readonly body: Expr };

/** `key: value` in an object; the key is printed as an identifier, a string or `["__proto__"]`. */
export interface Property {
  readonly key: string;
  readonly value: Expr;
}

/** An already-built expression (a call, an arrow function) to place inside data. */
export class Code {
  constructor(readonly node: Expr) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An identifier node; throws on anything that is not one (a bug in the caller, not user input). */
export function identifier(text: string): Expr {
  return { kind: 'identifier', name: name(text) };
}

/** `text` when it is an identifier; the printer passes every name through here. */
function name(text: string): string {
  if (!IDENTIFIER.test(text)) throw new Error(`not an identifier: ${JSON.stringify(text)}`);
  return text;
}

/**
 * Builds the expression for a JSON-like value. `undefined` properties are left out (optional
 * fields), `Code` values are placed as they are. Arrays of numbers, booleans and nulls stay on
 * one line. Throws only on values that have no literal form (functions, non-finite numbers):
 * those are bugs in the caller, not user errors.
 */
export function literal(value: unknown): Expr {
  if (value instanceof Code) return value.node;
  if (value === null) return { kind: 'null' };
  switch (typeof value) {
    case 'string':
      return { kind: 'string', value };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`no literal for number ${value}`);
      return { kind: 'number', value };
    case 'object': {
      if (Array.isArray(value)) {
        const elements = value.map((element: unknown) => literal(element));
        return { kind: 'array', elements, multiLine: elements.length > 0 && !allScalars(value) };
      }
      const properties: Property[] = [];
      for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
        if (field !== undefined) properties.push({ key, value: literal(field) });
      }
      return { kind: 'object', properties, multiLine: properties.length > 0 };
    }
    default:
      throw new Error(`no literal for ${typeof value}`);
  }
}

function allScalars(values: readonly unknown[]): boolean {
  return values.every((v) => v === null || typeof v === 'number' || typeof v === 'boolean');
}

/** `new RegExp("<source>", "<flags>")`: the pattern travels as a string literal, never as `/.../` text. */
export function regExpExpression(source: string, flags: string): Expr {
  return { kind: 'new', callee: identifier('RegExp'), args: [literal(source), literal(flags)] };
}

/** `(line: string) => <name>.test(line)` */
export function regExpTest(name: string): Expr {
  const body: Expr = { kind: 'call', callee: { kind: 'member', object: identifier(name), name: 'test' }, args: [identifier('line')] };
  return { kind: 'arrow', param: 'line', type: 'string', body };
}

/** `<callee>(<argument>, <numbers>...)` for generated top-level names, e.g. `matcher(re0)`. */
export function call(callee: string, argument: string, ...numbers: readonly number[]): Expr {
  return { kind: 'call', callee: identifier(callee), args: [identifier(argument), ...numbers.map((n) => literal(n))] };
}

/** How to print: with TypeScript's type annotations or as JavaScript. */
export interface PrintOptions {
  readonly types: boolean;
}

const INDENT = '    ';

/** Prints an expression as source text at `depth` levels of indentation (string literals escaped, non-ASCII as `\uXXXX`). */
export function print(node: Expr, options: PrintOptions, depth = 0): string {
  switch (node.kind) {
    case 'string':
      return quote(node.value);
    case 'number':
      // TypeScript's printer writes a negative number as a prefix minus before its magnitude.
      return node.value < 0 || Object.is(node.value, -0) ? `-${String(-node.value)}` : String(node.value);
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'identifier':
      return name(node.name);
    case 'array': {
      if (node.elements.length === 0) return '[]';
      const items = node.elements.map((element) => print(element, options, depth + 1));
      return node.multiLine ? block('[', items, ']', depth) : `[${items.join(', ')}]`;
    }
    case 'object': {
      if (node.properties.length === 0) return '{}';
      const items = node.properties.map((p) => `${propertyName(p.key)}: ${print(p.value, options, depth + 1)}`);
      return node.multiLine ? block('{', items, '}', depth) : `{ ${items.join(', ')} }`;
    }
    case 'call':
      return `${print(node.callee, options, depth)}(${node.args.map((a) => print(a, options, depth)).join(', ')})`;
    case 'new':
      return `new ${print(node.callee, options, depth)}(${node.args.map((a) => print(a, options, depth)).join(', ')})`;
    case 'member':
      return `${print(node.object, options, depth)}.${name(node.name)}`;
    case 'arrow':
      return `(${name(node.param)}${options.types ? `: ${name(node.type)}` : ''}) => ${print(node.body, options, depth)}`;
  }
}

function block(open: string, items: readonly string[], close: string, depth: number): string {
  const inner = INDENT.repeat(depth + 1);
  return `${open}\n${items.map((item) => inner + item).join(',\n')}\n${INDENT.repeat(depth)}${close}`;
}

/** A property name: an identifier when the key is one, else a string literal (computed for `__proto__`, which a plain literal key would turn into a prototype). */
function propertyName(key: string): string {
  if (key === '__proto__') return `[${quote(key)}]`;
  return IDENTIFIER.test(key) ? key : quote(key);
}

const ESCAPED = /[\\"\u0000-\u001f\u2028\u2029\u0085]/g;
const NON_ASCII = /[^\u0000-\u007f]/g;
const NAMED: Readonly<Record<string, string>> = {
  '\t': '\\t',
  '\v': '\\v',
  '\f': '\\f',
  '\b': '\\b',
  '\r': '\\r',
  '\n': '\\n',
  '\\': '\\\\',
  '"': '\\"',
};

function utf16Escape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A double-quoted string literal whose source is ASCII: quotes, backslashes, control and line
 * separator characters escaped, every other non-ASCII UTF-16 unit as `\uXXXX` (lone
 * surrogates too, so any string survives), as TypeScript's printer escapes.
 */
export function quote(text: string): string {
  const escaped = text.replace(ESCAPED, (c, offset: number) => {
    if (c === '\0') {
      // `\0` before a digit would read as an octal escape.
      const next = text.charCodeAt(offset + 1);
      return next >= 48 && next <= 57 ? '\\x00' : '\\0';
    }
    return NAMED[c] ?? utf16Escape(c.charCodeAt(0));
  });
  return `"${escaped.replace(NON_ASCII, (c) => utf16Escape(c.charCodeAt(0)))}"`;
}
