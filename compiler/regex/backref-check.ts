import type { Problem } from '../problem.js';
import type { Alternation, Node } from './pcre-ast.js';

/**
 * Back references whose group may not have matched yet. PCRE fails such a reference; JS matches it
 * as the empty string, so `(a)?\1` would match "" in JS but not in PCRE. Only references to groups
 * that are certain to have matched earlier on the path (not optional, not in another alternative,
 * not the enclosing group itself) translate exactly.
 */
export function uncertainBackrefs(ast: Alternation): Problem[] {
  const problems: Problem[] = [];
  const visitSequence = (nodes: readonly Node[], set: ReadonlySet<number>): Set<number> => {
    const current = new Set(set);
    for (const n of nodes) for (const g of visit(n, current)) current.add(g);
    return current;
  };
  /** Checks the node's references given the groups set before it; returns the groups it surely sets. */
  const visit = (n: Node, set: ReadonlySet<number>): Set<number> => {
    switch (n.kind) {
      case 'backref':
        if (!set.has(n.index)) {
          problems.push({ start: n.start, end: n.end, code: 'R308', severity: 'error', message: 'cannot be translated to JavaScript: a back reference to a group that may not have matched at this point (JavaScript would match it as empty, PCRE fails)' });
        }
        return new Set();
      case 'alt': {
        const results = n.branches.map((b) => visitSequence(b, set));
        return intersect(results);
      }
      case 'group': {
        const inner = visit(n.body, set);
        if (n.look === 'not-ahead' || n.look === 'not-behind') return new Set();
        if (n.index !== null) inner.add(n.index);
        return inner;
      }
      case 'quant': {
        const inner = visit(n.body, set);
        return n.min >= 1 ? inner : new Set();
      }
      default:
        return new Set();
    }
  };
  visit(ast, new Set());
  return problems;
}

function intersect(sets: readonly Set<number>[]): Set<number> {
  const [first, ...rest] = sets;
  if (!first) return new Set();
  return new Set([...first].filter((g) => rest.every((s) => s.has(g))));
}
