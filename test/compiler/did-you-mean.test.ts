import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../compiler/did-you-mean.js';

const KEYS = ['path', 'regex', 'upbound_freq', 'upbound_action', 'downbound_freq', 'downbound_action', 'usecrc', 'size', 'size_action'];

describe('didYouMean', () => {
  it.each([
    ['upbound_frq', 'upbound_freq'],
    ['upbuond_freq', 'upbound_freq'], // transposition counts once
    ['UPBOUND_ACTION', 'upbound_action'],
    ['regx', 'regex'],
    ['sizeaction', 'size_action'],
    ['use_crc', 'usecrc'],
    ['downbound_frequ', 'downbound_freq'],
  ])('suggests %j → %j', (word, expected) => {
    expect(didYouMean(word, KEYS)).toBe(expected);
  });

  it.each(['color', 'x', '', 'completely_unrelated'])('stays quiet for %j', (word) => {
    expect(didYouMean(word, KEYS)).toBeUndefined();
  });

  it('prefers the closest candidate, then the earlier one', () => {
    expect(didYouMean('cat', ['bat', 'cut', 'cart'])).toBe('bat');
    expect(didYouMean('cart', ['bat', 'cat', 'cart'])).toBe('cart');
  });
});
