// Akismet's comment check (https://akismet.com/developers/), optional: with AKISMET_KEY every new
// comment is sent to it before it is stored. Its verdict only ever moves a comment to Spam or
// holds it for a moderator; a slow or failing service holds it too, it never loses it.
//
//   const akismet = createAkismet({ key, url: 'https://rest.akismet.com', timeoutMs: 2_000 });
//   await akismet.check({ blog: 'https://blog.example.com', userIp: '203.0.113.9', content: 'Hi' }); // 'ham' | 'spam' | 'error'

export const AKISMET_URL = 'https://rest.akismet.com';
const DEFAULT_TIMEOUT_MS = 2_000;

export type AkismetVerdict = 'ham' | 'spam' | 'error';
export type AkismetComment = {
  /** The site's front page: PUBLIC_URL, or the commented page's origin. */
  blog: string;
  userIp: string;
  userAgent?: string;
  referrer?: string;
  permalink?: string | null;
  type: 'comment' | 'reply';
  authorName?: string;
  authorEmail?: string | null;
  authorUrl?: string | null;
  content: string;
};

/** `onError` hears why a check failed (to log it); the comment is held either way. */
export function createAkismet({
  key,
  url = AKISMET_URL,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  onError = () => {},
}: {
  key: string;
  url?: string;
  timeoutMs?: number;
  onError?: (reason: string) => void;
}) {
  const endpoint = `${url.replace(/\/+$/, '')}/1.1/comment-check`;
  return {
    async check(comment: AkismetComment): Promise<AkismetVerdict> {
      const form = new URLSearchParams({
        api_key: key,
        blog: comment.blog,
        user_ip: comment.userIp,
        user_agent: comment.userAgent ?? '',
        referrer: comment.referrer ?? '',
        comment_type: comment.type,
        comment_author: comment.authorName ?? '',
        comment_content: comment.content,
        blog_charset: 'UTF-8',
      });
      if (comment.permalink) form.set('permalink', comment.permalink);
      if (comment.authorEmail) form.set('comment_author_email', comment.authorEmail);
      if (comment.authorUrl) form.set('comment_author_url', comment.authorUrl);
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = (await response.text()).trim();
        // "true"/"false" is the whole answer; anything else ("invalid", an error page) is a failure,
        // explained, when Akismet explains, in X-akismet-debug-help.
        if (response.ok && text === 'true') return 'spam';
        if (response.ok && text === 'false') return 'ham';
        const help = response.headers.get('x-akismet-debug-help');
        onError(`Akismet answered ${response.status} "${text.slice(0, 100)}"${help ? `: ${help}` : ''}`);
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        onError(timedOut ? `Akismet did not answer within ${timeoutMs} ms` : `Akismet unreachable: ${String(error)}`);
      }
      return 'error';
    },
  };
}

export type Akismet = ReturnType<typeof createAkismet>;
