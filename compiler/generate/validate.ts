/**
 * What the generator checks before writing code: the model came from `check`, but a module
 * that throws at load time (a regex this Node rejects, a sticky/global flag that would make
 * `exec` stateful, a non-finite number) must be refused here with a diagnostic instead.
 */
import type { Diagnostic, Span } from '../../grammar/diagnostic.js';
import type { RegexModel, RuleModel } from '../model.js';

const FLAGS = /^[dimsuv]*$/;

function problem(span: Span, message: string): Diagnostic {
  return { code: 'R401', severity: 'error', message, span };
}

function regexProblem(regex: RegexModel): Diagnostic | null {
  if (!FLAGS.test(regex.flags) || new Set(regex.flags).size !== regex.flags.length) {
    return problem(regex.span, `code generation failed: regex flags \`${regex.flags}\` are not allowed (only d, i, m, s, u, v, each once)`);
  }
  try {
    new RegExp(regex.js, regex.flags);
    return null;
  } catch (error) {
    return problem(regex.span, `code generation failed: this Node rejects the translated regex: ${(error as Error).message}`);
  }
}

function numbersProblem(values: Readonly<Record<string, number | null | undefined>>, span: Span): Diagnostic | null {
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && !Number.isFinite(value)) {
      return problem(span, `code generation failed: \`${name}\` is not a finite number`);
    }
  }
  return null;
}

/** R401 diagnostics for every part of the model that has no safe generated form. */
export function validateModel(model: RuleModel): Diagnostic[] {
  const found: Diagnostic[] = [];
  const add = (d: Diagnostic | null): void => {
    if (d !== null) found.push(d);
  };
  for (const item of model.items) {
    add(regexProblem(item.regex));
    add(
      numbersProblem(
        {
          maxKeys: item.maxKeys,
          size: item.size,
          lineMax: item.lineMax,
          rotateWait: item.rotateWait,
          actionTimeout: item.actionTimeout,
          upboundCount: item.upbound?.count,
          upboundSeconds: item.upbound?.seconds,
          downboundCount: item.downbound?.count,
          downboundSeconds: item.downbound?.seconds,
          year: item.timestamp.year,
        },
        item.span,
      ),
    );
  }
  for (const block of model.blocks) {
    if (block.kind !== 'watch') continue;
    for (const group of [...block.ignore, ...block.filter]) {
      for (const operand of group.operands) add(regexProblem(operand.regex));
    }
  }
  return found;
}
