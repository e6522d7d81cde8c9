// Permalinks: every comment's element id and the `#comment-…` fragment that points at it.
// Ids are percent-encoded so any backend id (spaces, quotes, slashes) makes a valid fragment.
const PREFIX = 'comment-';

export function commentDomId(id: string): string {
  return PREFIX + encodeURIComponent(id);
}

/** The comment id in a `#comment-…` fragment, or null for any other fragment. */
export function commentIdFromHash(hash: string): string | null {
  if (!hash.startsWith('#' + PREFIX)) return null;
  try {
    return decodeURIComponent(hash.slice(PREFIX.length + 1)) || null;
  } catch {
    return null;
  }
}

/** The page's own URL pointing at one comment, for "Copy link". */
export function permalinkFor(id: string, location: Location = window.location): string {
  return `${location.href.split('#')[0]}#${commentDomId(id)}`;
}

/** The comment id of an element id made by commentDomId, or null. */
export function commentIdFromDomId(domId: string): string | null {
  return commentIdFromHash('#' + domId);
}
