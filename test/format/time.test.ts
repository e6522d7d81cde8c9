// Relative and exact times in the reader's language.
import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../src/format/time';
import { exactTime } from '../../src/format/exact-time';

describe('relativeTime', () => {
  const now = Date.UTC(2024, 5, 15, 12);
  const hour = 3600_000;
  const day = 24 * hour;

  it('says how many hours ago', () => {
    expect(relativeTime(now - 3 * hour, now, 'en')).toContain('3 hours');
    expect(relativeTime(now - 3 * hour, now, 'en')).toBe('3 hours ago');
  });

  it('says now for the last few seconds', () => {
    expect(relativeTime(now - 20_000, now, 'en')).toBe('now');
    expect(relativeTime(now, now, 'en')).toBe('now');
  });

  it('uses minutes, days, weeks, months and years', () => {
    expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(now - day, now, 'en')).toBe('yesterday');
    expect(relativeTime(now - 3 * day, now, 'en')).toBe('3 days ago');
    expect(relativeTime(now - 14 * day, now, 'en')).toBe('2 weeks ago');
    expect(relativeTime(now - 90 * day, now, 'en')).toBe('3 months ago');
    expect(relativeTime(now - 800 * day, now, 'en')).toBe('2 years ago');
  });

  it('rounds down to the larger unit', () => {
    expect(relativeTime(now - (2 * hour - 1000), now, 'en')).toBe('1 hour ago');
  });

  it('speaks the locale', () => {
    expect(relativeTime(now - 3 * hour, now, 'de')).toBe('vor 3 Stunden');
  });
});

describe('exactTime', () => {
  it('gives a long date with the time', () => {
    const text = exactTime(Date.UTC(2017, 5, 10, 12), 'en');
    expect(text).toMatch(/June (9|10|11), 2017/);
    expect(text).toMatch(/\d{1,2}:\d{2}/);
  });
});
