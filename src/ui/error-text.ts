// The words a reader sees for an error: ours, by code, in their language. The server's own
// message is for developers (it stays on the ConfabError), not for the widget.
import type { ConfabError } from '../errors';
import { en, type MessageKey } from '../i18n/en';
import type { Translate } from '../i18n/translate';

export function errorText(t: Translate, error: ConfabError): string {
  // A protocol code we have words for (`locked`, `duplicate`, `banned`…): en names them all.
  const server = `error.${error.serverCode}`;
  const known = error.serverCode !== undefined && Object.hasOwn(en, server);
  if (error.serverCode === 'rate_limited' && error.retryAfter === undefined) return t('error.http', { status: 429 });
  if (known) return t(server as MessageKey, { seconds: error.retryAfter ?? 0 });
  if (error.code === 'http' && error.status === 429 && error.retryAfter !== undefined) {
    return t('error.rate_limited', { seconds: error.retryAfter });
  }
  return t(`error.${error.code}` as MessageKey, { status: error.status ?? 0 });
}
