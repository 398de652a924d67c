/**
 * A `SequenceSpec` as the two programs gram-scan.wat runs at each occurrence of the item's
 * literal: the parts from the anchor on, read forwards from the occurrence, and the parts
 * before it, read backwards from there. The word layout is described at `$run` in the .wat.
 *
 * Why most runs need no backtracking: a run of one class followed by a part that must begin
 * with a character outside the class can only end where the class's characters end (or at its
 * maximum), so only the longest run is tried (mode 1); a run followed by nothing more of the
 * pattern needs only its minimum (mode 2), since whether some substring matches is all that
 * is asked. Other runs try every length (mode 0), within the line's budget.
 */
import type { SequencePart, SequenceSpec } from '../contract.js';

const DONE = 0;
const TEXT = 1;
const RUN = 2;
const START = 3;
const END = 4;
const TRY_ALL = 0;
const LONGEST = 1;
const SHORTEST = 2;
/** `max` of a run without one. */
const UNLIMITED = 0x7fffffff;

/** Which ASCII codes can begin (in reading order) what follows a run, or null when any could. */
type Follower = { readonly kind: 'chars'; readonly bits: Uint32Array } | { readonly kind: 'nothing' } | { readonly kind: 'boundary' } | null;

/** Bits for all 256 byte values, so the scan needs no test for non-ASCII bytes: those stay clear. */
const CODE_WORDS = 8;

function bitsOf(ranges: readonly (readonly [number, number])[]): Uint32Array {
  const bits = new Uint32Array(CODE_WORDS);
  for (const [low, high] of ranges) {
    for (let code = Math.max(0, low); code <= Math.min(127, high); code++) bits[code >>> 5]! |= 1 << (code & 31);
  }
  return bits;
}

const disjoint = (a: Uint32Array, b: Uint32Array): boolean => a.every((word, k) => (word & b[k]!) === 0);

/** What the part after position `k` of `parts` (in reading order) must begin with. */
function followerOf(parts: readonly SequencePart[], k: number, backwards: boolean): Follower {
  const next = parts[k + 1];
  if (next === undefined) return { kind: 'nothing' };
  switch (next.kind) {
    case 'text': {
      const bits = new Uint32Array(CODE_WORDS);
      const code = next.text.charCodeAt(backwards ? next.text.length - 1 : 0);
      bits[code >>> 5]! |= 1 << (code & 31);
      return { kind: 'chars', bits };
    }
    case 'set':
      return next.min > 0 ? { kind: 'chars', bits: bitsOf(next.ranges) } : null;
    case 'start':
    case 'end':
      // The line's start read backwards, its end read forwards: a run must reach it.
      return (next.kind === 'start') === backwards ? { kind: 'boundary' } : null;
  }
}

/** One half's parts in reading order as program words, ending in `done`. */
function encode(parts: readonly SequencePart[], backwards: boolean): number[] {
  const words: number[] = [];
  parts.forEach((part, k) => {
    switch (part.kind) {
      case 'text': {
        words.push(TEXT, part.text.length);
        const padded = new Uint8Array(Math.ceil(part.text.length / 4) * 4);
        for (let i = 0; i < part.text.length; i++) padded[i] = part.text.charCodeAt(i);
        words.push(...new Int32Array(padded.buffer));
        break;
      }
      case 'set': {
        const bits = bitsOf(part.ranges);
        const follower = followerOf(parts, k, backwards);
        let mode = TRY_ALL;
        if (follower?.kind === 'nothing') mode = SHORTEST;
        else if (part.min === part.max || follower?.kind === 'boundary' || (follower?.kind === 'chars' && disjoint(bits, follower.bits))) mode = LONGEST;
        words.push(RUN, part.min, part.max === null ? UNLIMITED : Math.min(part.max, UNLIMITED), mode, ...new Int32Array(bits.buffer));
        break;
      }
      case 'start':
        words.push(START);
        break;
      case 'end':
        words.push(END);
        break;
    }
  });
  words.push(DONE);
  return words;
}

/** The forward and backward programs of `sequence`, as i32 words. */
export function sequencePrograms(sequence: SequenceSpec): { readonly forward: Int32Array; readonly backward: Int32Array } {
  return {
    forward: Int32Array.from(encode(sequence.parts.slice(sequence.anchor), false)),
    backward: Int32Array.from(encode(sequence.parts.slice(0, sequence.anchor).reverse(), true)),
  };
}
