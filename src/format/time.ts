// Relative times ("3 hours ago"), from the browser's Intl: no date library (exact times:
// exact-time.ts).
// Formatters are cached per locale: building one costs more than formatting a whole thread.
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
/** "3 days ago" is the same string for hundreds of comments: formatted once per locale. */
const relativeTexts = new Map<string, string>();

function cached<T>(cache: Map<string, T>, locale: string, make: () => T): T {
  let format = cache.get(locale);
  if (!format) cache.set(locale, (format = make()));
  return format;
}

export function relativeTime(time: number, now: number, locale: string): string {
  const seconds = Math.round((time - now) / 1000);
  let value = 0;
  let unit: Intl.RelativeTimeFormatUnit = 'second';
  for (const [name, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      value = Math.trunc(seconds / size);
      unit = name;
      break;
    }
  }
  const key = `${locale} ${value} ${unit}`;
  let text = relativeTexts.get(key);
  if (text === undefined) {
    const format = cached(relativeFormats, locale, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
    relativeTexts.set(key, (text = format.format(value, unit)));
  }
  return text;
}

/**
 * Builds the relative-time formatter ahead of need. The first Intl formatter of a page (a
 * number, date or relative-time one) costs 25-45 ms in Chromium: ICU's data, once per renderer
 * process. The widget builds it while the page is idle waiting for the comments, or else right
 * after their first paint (Comment.tsx shows the times then); never in the task that shows them.
 */
export function warmUpTime(locale: string): void {
  relativeTime(0, 0, locale);
}

/** Whether `locale`'s relative-time formatter is built: a time can be written without that cost. */
export const timeFormatReady = (locale: string): boolean => relativeFormats.has(locale);
