// A moderator's actions from the widget, the network side: the moderation API (docs/admin-api.md)
// called as the signed-in moderator, its comments checked at the boundary like every other. Part
// of the sign-in part; the buttons are ui/ModeratorTools.ts.
import type { Transport } from '../adapters/server-client';
import type { Comment, ModerationClient } from '../types';
import type { parseComment as ParseComment } from './validate';

/** The held comments read at most (the dashboard has the rest). */
const HELD_SHOWN = 100;

/**
 * `send`: the HTTP adapter's transport, sending as the signed-in reader (Confab-User).
 * `parseComment`: the bundle's own boundary, handed over so the part carries no copy of it.
 */
export function moderationClient(send: Transport, threadId: string, parseComment: typeof ParseComment): ModerationClient {
  const thread = encodeURIComponent(threadId);
  const answer =
    <T>(field: string) =>
    async (response: Response) =>
      ((await response.json()) as Record<string, T> | null)?.[field];
  const post = <T>(path: string, field: string) =>
    send(`admin/threads/${thread}/${path}`, { method: 'post' }, undefined, answer<T>(field));

  return {
    async held() {
      const comments = await send(
        'admin/comments',
        { searchParams: { view: 'pending', thread: threadId, limit: HELD_SHOWN } },
        undefined,
        answer<unknown[]>('comments'),
      );
      return Array.isArray(comments) ? comments.map(parseComment).filter((c): c is Comment => c !== null) : [];
    },
    act: async (id, action) => parseComment(await post(`comments/${encodeURIComponent(id)}/${action}`, 'comment')),
    setLocked: async (locked) => (await post<{ locked?: unknown }>(locked ? 'lock' : 'unlock', 'thread'))?.locked === true,
  };
}
