import type { SetRef } from './char-sets.js';

/** Offsets of a node in the PCRE source, half-open. */
interface At {
  readonly start: number;
  readonly end: number;
}

/** An alternation of sequences; a group's body and the whole pattern are one. */
export interface Alternation extends At {
  readonly kind: 'alt';
  readonly branches: readonly (readonly Node[])[];
}

export interface Group extends At {
  readonly kind: 'group';
  /** PCRE group number, or null for a non-capturing group or a lookaround. */
  readonly index: number | null;
  readonly name: string | null;
  readonly look: null | 'ahead' | 'not-ahead' | 'behind' | 'not-behind';
  readonly body: Alternation;
  /** Where the body starts in the source (after `(?<name>` and the like). */
  readonly bodyStart: number;
}

export interface Quantifier extends At {
  readonly kind: 'quant';
  readonly min: number;
  readonly max: number;
  readonly lazy: boolean;
  readonly body: Node;
  /** Where the quantifier text (`*`, `{2,5}?`) starts in the source. */
  readonly quantStart: number;
}

/** `caseless` on a character, class or set: it stands under `i` (the whole pattern's or a scoped one). */
interface Caseless {
  readonly caseless?: true;
}

export interface Char extends At, Caseless {
  readonly kind: 'char';
  readonly cp: number;
}

export type ClassItem =
  | (At & { readonly kind: 'char'; readonly cp: number })
  | (At & { readonly kind: 'range'; readonly from: number; readonly to: number })
  | (At & { readonly kind: 'set'; readonly set: SetRef });

export interface CharClass extends At, Caseless {
  readonly kind: 'class';
  readonly negated: boolean;
  readonly items: readonly ClassItem[];
}

/** `.`, `\d`, `\s`, `\h`, `\N`, `\p{L}` and the like outside a class. */
export interface CharSet extends At, Caseless {
  readonly kind: 'set';
  readonly set: SetRef;
  /** Set only for `.` under the `s` option, which the emitter may write as `.` when the JS `s` flag is on. */
  readonly dotAll?: boolean;
}

/** Zero-width assertions; `start`/`end` are `^`/`$`, `abs-*` are `\A`/`\z`, `end-or-newline` is `\Z`. */
export interface Assertion extends At {
  readonly kind: 'assert';
  readonly which: 'start' | 'end' | 'abs-start' | 'abs-end' | 'end-or-newline' | 'word' | 'not-word';
}

export interface Backref extends At {
  readonly kind: 'backref';
  readonly index: number;
  /** The group's name when the source referred to it by name. */
  readonly name: string | null;
}

/** A fixed JS fragment for a construct with no single-node equivalent (`\R`). */
export interface Raw extends At {
  readonly kind: 'raw';
  readonly js: string;
}

export type Node = Alternation | Group | Quantifier | Char | CharClass | CharSet | Assertion | Backref | Raw;
