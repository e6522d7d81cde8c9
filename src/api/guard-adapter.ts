// A site's own adapter is as untrusted as any server: everything it hands over goes through the
// same boundary validator as the HTTP client's answers. Our own adapters say they validated.
import { ConfabError, isConfabError, toConfabError } from '../errors';
import type { Adapter, Comment, ValidatedAdapter } from '../types';
import { parseComment, parsePage } from './validate';

export const VALIDATED = Symbol.for('confab.validated');

/** Marks an adapter whose answers already went through the validator. */
export function markValidated<T extends Adapter>(adapter: T): T {
  return Object.assign(adapter, { [VALIDATED]: true });
}

function checked(value: unknown, operation: string): Comment {
  const comment = parseComment(value);
  if (!comment) throw new ConfabError('invalid-response', `The adapter's ${operation} gave a comment we cannot use.`);
  return comment;
}

/** Errors an adapter throws become ConfabErrors; malformed comments never get past. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isConfabError(error) ? error : toConfabError(error);
  }
}

export function guardAdapter(adapter: Adapter): ValidatedAdapter {
  if ((adapter as { [VALIDATED]?: boolean })[VALIDATED]) return adapter;
  const { post, edit, remove, vote, counts, subscribe, sanitizeHtml } = adapter;
  const guardedAdapter: Adapter = {
    list: (threadId, query, call) =>
      guarded(async () => {
        const page: unknown = await adapter.list(threadId, query, call);
        const checkedPage = parsePage(page, threadId);
        const reported = Number((page as { skipped?: unknown }).skipped);
        return { ...checkedPage, skipped: checkedPage.skipped + (Number.isFinite(reported) && reported > 0 ? reported : 0) };
      }),
  };
  if (post) {
    guardedAdapter.post = (threadId, input, key, call) =>
      guarded(async () => {
        const posted = await post.call(adapter, threadId, input, key, call);
        return { comment: checked(posted?.comment, 'post'), editToken: typeof posted?.editToken === 'string' ? posted.editToken : null };
      });
  }
  if (edit) guardedAdapter.edit = (...args) => guarded(async () => checked(await edit.apply(adapter, args), 'edit'));
  if (remove) guardedAdapter.remove = (...args) => guarded(async () => checked(await remove.apply(adapter, args), 'remove'));
  if (vote) {
    guardedAdapter.vote = (...args) =>
      guarded(async () => {
        const score = await vote.apply(adapter, args);
        if (typeof score !== 'number' || !Number.isFinite(score)) throw new ConfabError('invalid-response', "The adapter's vote gave no score.");
        return score;
      });
  }
  // Its output is checked again where it is rendered (ui/CommentBody): tags and links alike.
  if (sanitizeHtml) guardedAdapter.sanitizeHtml = (html) => sanitizeHtml.call(adapter, html);
  if (counts) guardedAdapter.counts = (...args) => guarded(() => counts.apply(adapter, args));
  if (subscribe) {
    guardedAdapter.subscribe = (threadId, handlers) =>
      subscribe.call(adapter, threadId, {
        ...handlers,
        onEvent(type, value) {
          const comment = parseComment(value);
          if (comment) handlers.onEvent(type, comment);
        },
      });
  }
  return guardedAdapter;
}
