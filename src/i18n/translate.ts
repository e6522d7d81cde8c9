// t(key, values): the looked-up string with {placeholders} filled and plurals chosen by locale.
// A thread asks for the same few labels thousands of times: strings without values are
// computed once per translator.
import { en, type MessageKey, type Messages } from './en';
import { catalogOf } from './negotiate';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * The catalogs' languages that write numbers in ASCII digits in every region (not Arabic,
 * Bengali, Persian, Urdu; test/i18n/translate.test.ts checks the list against Intl). In them a
 * whole number under 1,000 (no grouping, no minus sign) reads the same as Intl.NumberFormat
 * writes it, without building one: the first Intl formatter of a page costs 25-45 ms in
 * Chromium (see ui/context.ts).
 */
const ASCII_DIGITS =
  /^(bg|ca|cs|da|de|el|en|es|et|fi|fr|he|hi|hr|hu|id|it|ja|ko|lt|lv|ms|nb|nl|pl|pt|ro|ru|sk|sl|sr|sv|th|tr|uk|vi|zh)(-|$)/i;

export function createTranslator(locale: string, messages: Messages = {}): Translate {
  let plural: Intl.PluralRules | undefined;
  // Unless a numbering system is asked for (`-u-nu-`).
  const plain = ASCII_DIGITS.test(locale) && !locale.includes('-u-');
  let numbers: Intl.NumberFormat | undefined;
  const fixed = new Map<MessageKey, string>();
  const templates = new Map<string, string[]>();
  /** Where a part's words are (see fill): looked up on the first key en does not have. */
  let partsKey: string | undefined;
  const fill = (key: MessageKey, values: Record<string, string | number>): string => {
    // A key of a part loaded on demand (the report dialog, the edit form…), which en does not
    // have: on script-tag pages its words come with the part (ui/load-part.ts, loadPartWords);
    // without them it reads as '' and the part's English is used.
    const entry =
      messages[key] ??
      (en as Messages)[key] ??
      (globalThis.ConfabLocales?.[(partsKey ??= `${catalogOf(locale)}-parts`)] as Messages | undefined)?.[key] ??
      '';
    let text: string;
    if (typeof entry === 'string') text = entry;
    else {
      const forms = entry as Record<string, string | undefined>;
      // Built on first use: Intl constructors cost more than a page of comments.
      text = forms[(plural ??= new Intl.PluralRules(locale)).select(Number(values.count ?? 0))] ?? forms.other ?? '';
    }
    let parts = templates.get(text);
    if (!parts) templates.set(text, (parts = text.split(/\{(\w+)\}/)));
    // parts alternate: text, placeholder name, text, …
    let result = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const value = values[parts[i]!];
      result +=
        value === undefined
          ? `{${parts[i]}}`
          : typeof value === 'number'
            ? plain && value >= 0 && value < 1000 && value % 1 === 0
              ? `${value}`
              : (numbers ??= new Intl.NumberFormat(locale)).format(value)
            : value;
      result += parts[i + 1];
    }
    return result;
  };
  return (key, values) => {
    if (values) return fill(key, values);
    let text = fixed.get(key);
    if (text === undefined) fixed.set(key, (text = fill(key, {})));
    return text;
  };
}

export { en };
export type { MessageKey, Messages };
