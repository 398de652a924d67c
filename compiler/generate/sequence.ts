/**
 * An item's regex as a plain sequence (`SequenceSpec`), when it is one: text, runs of one
 * character class, `^` and `$`. The runtime's gram scan then decides such a regex on an ASCII
 * line where it finds the item's prefilter literal, without a call into V8's regex engine:
 * 200 compiled regexes do not stay in the processor's instruction cache, so each candidate
 * line cost ~90 ns there against ~35 for one regex run in a loop (docs/engine.md).
 *
 * Exactness: the sequence is read from the very JavaScript pattern the module runs (regexpp),
 * and which ASCII characters each atom matches is asked of V8 itself, with the pattern's own
 * flags, one character at a time; only lines of ASCII bytes are ever decided this way. Whether
 * some substring matches does not depend on greedy or lazy quantifiers or on groups, so those
 * are dropped; anything else (alternatives, quantified groups, lookarounds, `\b`, back
 * references, a multi-line `^`/`$`) leaves the item to its regex.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import type { SequencePart, SequenceSpec } from '../../runtime/contract.js';
import { isAscii } from './prefilter.js';

/** An atom before text runs are merged: which ASCII codes it matches, how often. */
interface Atom {
  readonly kind: 'set';
  readonly members: readonly boolean[];
  readonly min: number;
  readonly max: number | null;
}
type Piece = Atom | { readonly kind: 'start' } | { readonly kind: 'end' };

const ASCII = 128;

/**
 * The sequence of the regex `js` (with `flags`) anchored on `literal`, the item's prefilter
 * literal; null when the regex is not a plain sequence, or the literal is not where every
 * match must hold it (then the regex decides every candidate, as before).
 */
export function sequenceOf(js: string, flags: string, literal: string | null): SequenceSpec | null {
  if (literal === null || literal.length === 0 || !isAscii(literal) || flags.includes('m') || flags.includes('v')) return null;
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(js, 0, js.length, { unicode: flags.includes('u') });
  } catch {
    return null;
  }
  const pieces = piecesOf(pattern.alternatives, flags);
  if (pieces === null) return null;
  const anchored = anchorAt(pieces, literal);
  if (anchored === null) return null;
  // Built in two halves so that no text part runs across the anchor.
  const before = partsOf(anchored.pieces.slice(0, anchored.index));
  return { parts: [...before, ...partsOf(anchored.pieces.slice(anchored.index))], anchor: before.length };
}

/** The pieces of a single alternative, groups flattened; null for anything else. */
function piecesOf(alternatives: readonly AST.Alternative[], flags: string): Piece[] | null {
  if (alternatives.length !== 1) return null;
  const pieces: Piece[] = [];
  for (const element of alternatives[0]!.elements) {
    switch (element.type) {
      case 'Character':
      case 'CharacterSet':
      case 'CharacterClass':
        pieces.push({ kind: 'set', members: membersOf(element.raw, flags), min: 1, max: 1 });
        break;
      case 'Quantifier': {
        const inner = element.element;
        if (inner.type !== 'Character' && inner.type !== 'CharacterSet' && inner.type !== 'CharacterClass') return null;
        pieces.push({
          kind: 'set',
          members: membersOf(inner.raw, flags),
          min: element.min,
          max: element.max === Infinity ? null : element.max,
        });
        break;
      }
      case 'Group':
      case 'CapturingGroup': {
        const inner = piecesOf(element.alternatives, flags);
        if (inner === null) return null;
        pieces.push(...inner);
        break;
      }
      case 'Assertion':
        if (element.kind === 'start') pieces.push({ kind: 'start' });
        else if (element.kind === 'end') pieces.push({ kind: 'end' });
        else return null;
        break;
      default:
        return null;
    }
  }
  return pieces;
}

/**
 * Which ASCII codes one atom matches, asked of V8 with the pattern's flags. Remembered by atom
 * and flags: patterns repeat the same letters and classes, and a RegExp compiled and run 128
 * times for each atom of each item took most of a 200-rule compile.
 */
function membersOf(raw: string, flags: string): readonly boolean[] {
  const key = `${flags}/${raw}`;
  let members = knownMembers.get(key);
  if (members === undefined) {
    const atom = new RegExp(`^(?:${raw})$`, flags);
    members = Array.from({ length: ASCII }, (_, code) => atom.test(String.fromCharCode(code)));
    // A long-lived compiler (the language server) sees ever new atoms: keep the memory bounded.
    if (knownMembers.size >= 4096) knownMembers.clear();
    knownMembers.set(key, members);
  }
  return members;
}

const knownMembers = new Map<string, readonly boolean[]>();

/** The one ASCII code `members` holds, or -1. */
function onlyMember(members: readonly boolean[]): number {
  let only = -1;
  for (let code = 0; code < ASCII; code++) {
    if (!members[code]) continue;
    if (only !== -1) return -1;
    only = code;
  }
  return only;
}

const fold = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);

/**
 * Where every match holds `literal` (as the gram scan finds it: ASCII case folded): a run of
 * single-character atoms, each matching only characters that fold to the literal's character
 * there. Splits a counted atom if the literal starts inside it; returns the pieces and the
 * index of the literal's first atom.
 */
function anchorAt(pieces: readonly Piece[], literal: string): { pieces: Piece[]; index: number } | null {
  const single: Piece[] = pieces.flatMap((piece) =>
    piece.kind === 'set' && piece.min === piece.max && piece.min > 1 && piece.min <= literal.length
      ? Array.from({ length: piece.min }, () => ({ ...piece, min: 1, max: 1 }))
      : [piece],
  );
  const want = Array.from(literal, (ch) => fold(ch.charCodeAt(0)));
  // Each piece's one folded code, decided once rather than at every start tried.
  const codes = single.map((piece) => (piece.kind === 'set' && piece.min === 1 && piece.max === 1 ? foldedMember(piece.members) : -1));
  for (let start = 0; start + want.length <= single.length; start++) {
    if (want.every((code, k) => codes[start + k] === code)) return { pieces: single, index: start };
  }
  return null;
}

/** The one code every member folds to, or -1 (no member, or members folding to different codes). */
function foldedMember(members: readonly boolean[]): number {
  let only = -1;
  for (let c = 0; c < ASCII; c++) {
    if (!members[c]) continue;
    if (only !== -1 && fold(c) !== only) return -1;
    only = fold(c);
  }
  return only;
}

/** Merges single characters into text and turns member lists into ranges. */
function partsOf(pieces: readonly Piece[]): SequencePart[] {
  const parts: SequencePart[] = [];
  for (const piece of pieces) {
    if (piece.kind !== 'set') {
      parts.push({ kind: piece.kind });
      continue;
    }
    const only = piece.min === 1 && piece.max === 1 ? onlyMember(piece.members) : -1;
    const last = parts[parts.length - 1];
    if (only !== -1 && last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: last.text + String.fromCharCode(only) };
    else if (only !== -1) parts.push({ kind: 'text', text: String.fromCharCode(only) });
    else parts.push({ kind: 'set', ranges: rangesOf(piece.members), min: piece.min, max: piece.max });
  }
  return parts;
}

function rangesOf(members: readonly boolean[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (let code = 0; code < ASCII; code++) {
    if (!members[code]) continue;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === code - 1) last[1] = code;
    else ranges.push([code, code]);
  }
  return ranges;
}
