// Strings and direction for a locale: the registered language's strings (English when none),
// then the site's own overrides on top.
import type { Messages } from './en';
import { catalogOf, registeredMessages } from './registry';

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb']);

export function messagesFor(locale: string, overrides: Messages = {}): Messages {
  return { ...registeredMessages(locale), ...overrides };
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL.has(catalogOf(locale)) ? 'rtl' : 'ltr';
}
