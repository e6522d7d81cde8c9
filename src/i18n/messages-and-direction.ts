// Strings and direction for a locale: the registered language's strings (English when none),
// then the site's own overrides on top.
import type { Messages } from './en';
import { registeredMessages } from './registry';

export { directionOf } from './negotiate';

export function messagesFor(locale: string, overrides: Messages = {}): Messages {
  return { ...registeredMessages(locale), ...overrides };
}
