// The boundary: every adapter's answers (the site's own, the server adapters', our HTTP client's)
// are wire data until they pass here. guardAdapter is the one place they are checked: a site's
// adapter is as untrusted as any server, and ours get no way around it.
import { ConfabError, toConfabError } from '../errors';
import type { Adapter, FullAdapter, FullValidatedAdapter, ValidatedAdapter } from '../types';
import {
  ShapeError,
  parseComment,
  parseCounts,
  parsePage,
  parsePosted,
  parseUser,
  requireComment,
  requireScore,
} from './validate';

type Operation = 'list' | 'post' | 'edit' | 'remove' | 'vote' | 'report' | 'counts' | 'user';

/** A site's adapter: the error names the operation that handed over what cannot be used. */
function siteRefusal(operation: Operation, problem: ShapeError): ConfabError {
  // A page that is no page says what is wrong with it (as it always has).
  if (operation === 'list') return toConfabError(problem);
  const what = operation === 'vote' ? 'no score' : operation === 'counts' ? 'no counts' : 'a comment we cannot use';
  return new ConfabError('invalid-response', `The adapter's ${operation} gave ${what}.`);
}

/** Adapters that hand on the comment server's answers as they came (our HTTP client, the static file). */
const serverSources = new WeakSet<object>();

/**
 * Says that `adapter` hands on the comment server's answers as they came, so that what cannot be
 * used is refused as "The comment server sent data we cannot use: …". Only words: it checks nothing.
 */
export function fromCommentServer<T extends Adapter>(adapter: T): T {
  serverSources.add(adapter);
  return adapter;
}

export function guardAdapter(adapter: FullAdapter): FullValidatedAdapter;
export function guardAdapter(adapter: Adapter): ValidatedAdapter;
export function guardAdapter(adapter: Adapter): ValidatedAdapter {
  const fromServer = serverSources.has(adapter);
  const { subscribe } = adapter;

  /**
   * The operation `work` (none when the adapter has none), its errors made ConfabErrors and what
   * it hands over checked by `check`.
   */
  function guarded<A extends unknown[], W, T>(
    operation: Operation,
    work: (...args: A) => Promise<W>,
    check: (wire: W, args: A) => T,
  ): (...args: A) => Promise<T>;
  function guarded<A extends unknown[], W, T>(
    operation: Operation,
    work: ((...args: A) => Promise<W>) | undefined,
    check: (wire: W, args: A) => T,
  ): ((...args: A) => Promise<T>) | undefined;
  function guarded<A extends unknown[], W, T>(
    operation: Operation,
    work: ((...args: A) => Promise<W>) | undefined,
    check: (wire: W, args: A) => T,
  ) {
    return (
      work &&
      (async (...args: A): Promise<T> => {
        try {
          return check(await work.apply(adapter, args), args);
        } catch (error) {
          if (!(error instanceof ShapeError)) throw toConfabError(error);
          throw fromServer
            ? new ConfabError('invalid-response', `The comment server sent data we cannot use: ${error.message}.`, {
                cause: error,
              })
            : siteRefusal(operation, error);
        }
      })
    );
  }

  const validated: ValidatedAdapter = {
    list: guarded('list', adapter.list, (page, [threadId]) => {
      const checked = parsePage(page, threadId);
      // Comments the adapter itself left out count as skipped too (`page` is an object by now).
      const reported = Number(page.skipped);
      return { ...checked, skipped: checked.skipped + (Number.isFinite(reported) && reported > 0 ? reported : 0) };
    }),
    // An operation the adapter lacks stays undefined: the widget then hides what needs it.
    post: guarded('post', adapter.post, parsePosted),
    edit: guarded('edit', adapter.edit, requireComment),
    remove: guarded('remove', adapter.remove, requireComment),
    vote: guarded('vote', adapter.vote, requireScore),
    // A report's answer says nothing the widget uses: a 2xx is the whole news.
    report: guarded('report', adapter.report, () => {}),
    counts: guarded('counts', adapter.counts, parseCounts),
    user: guarded('user', adapter.user, parseUser),
    // Its output is checked again where it is rendered (ui/CommentBody): tags and links alike.
    sanitizeHtml: adapter.sanitizeHtml?.bind(adapter),
    subscribe:
      subscribe &&
      ((threadId, handlers) =>
        subscribe.call(adapter, threadId, {
          ...handlers,
          onEvent(type, value) {
            const comment = parseComment(value);
            if (comment) handlers.onEvent(type, comment);
          },
        })),
  };
  return validated;
}
