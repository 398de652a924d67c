/**
 * Turns plain data into TypeScript expression nodes through the compiler factory, so every
 * value from a rule file reaches generated code as a properly escaped literal.
 */
import { ts } from 'ts-morph';

const factory = ts.factory;

/** An already-built expression (an identifier, an arrow function) to place inside data. */
export class Code {
  constructor(readonly node: ts.Expression) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name: an identifier when the key is one, else a string literal (computed for `__proto__`, which a plain literal key would turn into a prototype). */
function propertyName(key: string): ts.PropertyName {
  if (key === '__proto__') return factory.createComputedPropertyName(factory.createStringLiteral(key));
  return IDENTIFIER.test(key) ? factory.createIdentifier(key) : factory.createStringLiteral(key);
}

/**
 * Builds the expression for a JSON-like value. `undefined` properties are left out (optional
 * fields), `Code` values are placed as they are. Throws only on values that have no literal
 * form (functions, non-finite numbers): those are bugs in the caller, not user errors.
 */
export function literal(value: unknown, multiLine = true): ts.Expression {
  if (value instanceof Code) return value.node;
  if (value === null) return factory.createNull();
  switch (typeof value) {
    case 'string':
      return factory.createStringLiteral(value);
    case 'boolean':
      return value ? factory.createTrue() : factory.createFalse();
    case 'number': {
      if (!Number.isFinite(value)) throw new Error(`no literal for number ${value}`);
      if (value < 0 || Object.is(value, -0)) {
        return factory.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, factory.createNumericLiteral(-value));
      }
      return factory.createNumericLiteral(value);
    }
    case 'object': {
      if (Array.isArray(value)) {
        const elements = value.map((element: unknown) => literal(element, multiLine));
        return factory.createArrayLiteralExpression(elements, multiLine && elements.length > 0 && !allScalars(value));
      }
      const properties: ts.ObjectLiteralElementLike[] = [];
      for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
        if (field === undefined) continue;
        properties.push(factory.createPropertyAssignment(propertyName(key), literal(field, multiLine)));
      }
      return factory.createObjectLiteralExpression(properties, multiLine && properties.length > 0);
    }
    default:
      throw new Error(`no literal for ${typeof value}`);
  }
}

function allScalars(values: readonly unknown[]): boolean {
  return values.every((v) => v === null || typeof v === 'number' || typeof v === 'boolean');
}

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
const printContext = ts.createSourceFile('print.ts', '', ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);

/** Prints a node as source text (string literals escaped, non-ASCII as `\uXXXX`). */
export function print(node: ts.Node): string {
  return printer.printNode(ts.EmitHint.Unspecified, node, printContext);
}

/** `new RegExp("<source>", "<flags>")`: the pattern travels as a string literal, never as `/.../` text. */
export function regExpExpression(source: string, flags: string): ts.Expression {
  return factory.createNewExpression(factory.createIdentifier('RegExp'), undefined, [
    factory.createStringLiteral(source),
    factory.createStringLiteral(flags),
  ]);
}

/** `(line: string) => <name>.test(line)` */
export function regExpTest(name: string): ts.Expression {
  const line = factory.createIdentifier('line');
  return factory.createArrowFunction(
    undefined,
    undefined,
    [factory.createParameterDeclaration(undefined, undefined, 'line', undefined, factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword))],
    undefined,
    factory.createToken(ts.SyntaxKind.EqualsGreaterThanToken),
    factory.createCallExpression(factory.createPropertyAccessExpression(factory.createIdentifier(name), 'test'), undefined, [line]),
  );
}

/** `<callee>(<argument>)` for generated top-level names, e.g. `matcher(re0)`. */
export function call(callee: string, argument: string, ...numbers: readonly number[]): ts.Expression {
  return factory.createCallExpression(factory.createIdentifier(callee), undefined, [factory.createIdentifier(argument), ...numbers.map((n) => factory.createNumericLiteral(n))]);
}
