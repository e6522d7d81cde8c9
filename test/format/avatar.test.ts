// Initials and colours of the avatars drawn for authors without a picture.
import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, colourIndex, initials } from '../../src/format/avatar';

describe('initials', () => {
  it.each([
    ['Ann Lee', 'AL'],
    ['ann', 'A'],
    ['  ann   marie lee ', 'AM'],
    ['', '?'],
    ['   ', '?'],
    ['élodie durand', 'ÉD'],
    ['😀 Smile', '😀S'],
    ['\u202Eevil twin', 'ET'],
    ['\u200B\u200Dann \u2066lee', 'AL'],
    ['\u0000\u200B', '?'],
  ])('gives %j the initials %j', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});

describe('colourIndex', () => {
  it('gives the same name the same colour', () => {
    expect(colourIndex('Ann Lee')).toBe(colourIndex('Ann Lee'));
  });

  it('stays within the palette', () => {
    const names = ['', 'a', 'Ann', 'Bob', 'Zoë', '😀', 'x'.repeat(1000), ...Array.from({ length: 200 }, (_, i) => `user${i}`)];
    for (const name of names) {
      const index = colourIndex(name);
      expect(Number.isInteger(index)).toBe(true);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(AVATAR_COLOURS);
    }
    expect(AVATAR_COLOURS).toBe(8);
  });

  it('spreads names over the palette', () => {
    const used = new Set(Array.from({ length: 200 }, (_, i) => colourIndex(`user${i}`)));
    expect(used.size).toBe(AVATAR_COLOURS);
  });
});
