// Who is signed in: checked once at the start, changed by the sign-in, set-password and
// sign-out forms, and ended by any 401 the API client meets.
import { signal } from '@preact/signals';
import { ApiError, messageOf, type Api } from './api';
import { ENGLISH, type Translate } from './i18n/i18n';
import type { Actor } from './types';

export type SessionState = 'checking' | 'signed-out' | 'signed-in';

export interface FormResult {
  error: string | null;
  fields: Record<string, string>;
}

const OK: FormResult = { error: null, fields: {} };

export function createSessionStore(api: Api, t: Translate = ENGLISH.t) {
  const state = signal<SessionState>('checking');
  const actor = signal<Actor | null>(null);
  /** Why the sign-in screen shows (the session ended, or the check failed). */
  const notice = signal<string | null>(null);

  const signedIn = (who: Actor) => {
    actor.value = who;
    notice.value = null;
    state.value = 'signed-in';
  };

  const failure = (error: unknown): FormResult => ({
    error: messageOf(error, t),
    fields: error instanceof ApiError ? error.fields : {},
  });

  api.onUnauthorized = () => {
    if (state.peek() !== 'signed-in') return;
    actor.value = null;
    notice.value = t('signIn.ended');
    state.value = 'signed-out';
  };

  return {
    state,
    actor,
    notice,
    async check(): Promise<void> {
      try {
        const who = await api.getSession();
        if (who) signedIn(who);
        else state.value = 'signed-out';
      } catch (error) {
        notice.value = messageOf(error, t);
        state.value = 'signed-out';
      }
    },
    async signIn(credentials: { email: string; password: string } | { token: string }): Promise<FormResult> {
      try {
        signedIn(await api.signIn(credentials));
        return OK;
      } catch (error) {
        return failure(error);
      }
    },
    async setPassword(link: string, password: string): Promise<FormResult> {
      try {
        signedIn(await api.setPassword(link, password));
        return OK;
      } catch (error) {
        return failure(error);
      }
    },
    async signOut(): Promise<string | null> {
      try {
        await api.signOut();
      } catch (error) {
        // Still signed in on the server: say so rather than pretend.
        if (!(error instanceof ApiError && error.unauthorized)) return messageOf(error, t);
      }
      actor.value = null;
      notice.value = t('signIn.signedOut');
      state.value = 'signed-out';
      return null;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

export function actorName(actor: Actor | null, t: Translate = ENGLISH.t): string {
  if (!actor) return t('actor.reports');
  if (actor.kind === 'token') return t('signIn.token');
  if (actor.kind === 'cli') return t('actor.cli');
  if (actor.kind === 'sso') return t('actor.sso', { name: actor.name });
  return actor.name ? `${actor.name} (${actor.email})` : actor.email;
}
