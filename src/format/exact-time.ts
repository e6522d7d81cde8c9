// The exact time of a comment or an edit ("June 10, 2017 at 12:00 PM"), the tooltip written when
// a pointer or focus first reaches it: only the comments' events part (comment-events.ts) needs
// it, so it is a module of its own, out of the first load.
const formats = new Map<string, Intl.DateTimeFormat>();

export function exactTime(time: number, locale: string): string {
  let format = formats.get(locale);
  if (!format) formats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' })));
  return format.format(time);
}
