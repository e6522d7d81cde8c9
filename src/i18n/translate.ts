// t(key, values): the looked-up string with {placeholders} filled and plurals chosen by locale.
import { en, type MessageKey, type Messages } from './en';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function createTranslator(locale: string, messages: Messages = {}): Translate {
  const plural = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return (key, values = {}) => {
    const entry = messages[key] ?? en[key];
    let text: string;
    if (typeof entry === 'string') text = entry;
    else {
      const count = Number(values.count ?? 0);
      const forms = entry as Record<string, string | undefined>;
      text = forms[plural.select(count)] ?? forms.other ?? '';
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}

export { en };
export type { MessageKey, Messages };
