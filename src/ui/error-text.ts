// The words a reader sees for an error: ours, by code, in their language. The server's own
// message is for developers (it stays on the ConfabError), not for the widget.
import type { ConfabError } from '../errors';
import type { MessageKey } from '../i18n/en';
import type { Translate } from '../i18n/translate';

const SERVER_CODES = ['rate_limited', 'unauthorized', 'locked', 'too_large', 'invalid', 'not_found'] as const;

export function errorText(t: Translate, error: ConfabError): string {
  const server = SERVER_CODES.find((code) => code === error.serverCode);
  if (server === 'rate_limited' && error.retryAfter === undefined) return t('error.http', { status: 429 });
  if (server) return t(`error.${server}` as MessageKey, { seconds: error.retryAfter ?? 0 });
  if (error.code === 'http' && error.status === 429 && error.retryAfter !== undefined) {
    return t('error.rate_limited', { seconds: error.retryAfter });
  }
  return t(`error.${error.code}` as MessageKey, { status: error.status ?? 0 });
}
