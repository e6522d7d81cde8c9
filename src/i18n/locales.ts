// The bundled languages. Each costs well under 1 kB gzip, so all ship in the script-tag bundle
// (one file, no extra requests); English is the fallback for any missing string.
import type { Messages } from './en';
import { ar } from './ar';
import { de } from './de';
import { es } from './es';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

const LOCALES: Record<string, Messages> = { ar, de, es, fr, ru, zh };
const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb']);

/** `de-AT` → the German strings; an unknown language → English. */
export function messagesFor(locale: string, overrides: Messages = {}): Messages {
  const language = locale.toLowerCase().split('-')[0] ?? 'en';
  return { ...(Object.hasOwn(LOCALES, language) ? LOCALES[language] : {}), ...overrides };
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL.has(locale.toLowerCase().split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

export const SUPPORTED_LOCALES = ['en', ...Object.keys(LOCALES)];
