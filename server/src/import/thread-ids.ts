// A thread id from an article's URL, as the widget computes it by default (src/options.ts
// defaultThreadId: the page's path, `new URL(…).pathname`), with the variations old exports hold
// made one: http or https, www or not, a trailing slash or not, `index.html`, `utm_*` parameters.
//
//   const place = threadPlaces({ siteUrl: 'https://example.com' });
//   place('http://www.example.com/2020/post/index.html?utm_source=x')
//   // { id: '/2020/post', url: 'https://example.com/2020/post', offSite: false }
import { LIMITS } from '../validate.js';

export type ThreadPlace =
  | {
      id: string;
      /** The article's address, normalized: the site's scheme and host when it is on the site. */
      url: string;
      /** The URL names another host than --site-url's (kept, and counted in the summary). */
      offSite: boolean;
      /** What is left of the query (not utm_*): two articles with one path differ only there. */
      query: string;
    }
  | { problem: string };

export type ThreadPlaceOptions = {
  /** The site's own address: its host (with or without www) is the site's, and its scheme wins. */
  siteUrl?: string;
  /**
   * Paths end in "/" (WordPress, Hugo, Jekyll: the widget then computes "/post/"); without it the
   * slash is removed ("/post"). Either way a path and the same path with a slash are one thread.
   */
  trailingSlash?: boolean;
};

const INDEX_PAGE = /\/index\.html?$/i;
// Relative URLs in an export ("/post") are resolved against this when no --site-url is given.
const NOWHERE = 'http://site.invalid';

const bareHost = (host: string) => host.toLowerCase().replace(/^www\./, '');

/** @throws Error when `siteUrl` is not an http(s) URL */
export function threadPlaces({ siteUrl, trailingSlash = false }: ThreadPlaceOptions = {}) {
  const site = siteUrl === undefined ? undefined : new URL(siteUrl);
  if (site && !['http:', 'https:'].includes(site.protocol)) throw new Error(`--site-url must be an http(s) URL: ${siteUrl}`);
  const siteHost = site && bareHost(site.host);

  return (address: string): ThreadPlace => {
    let url: URL;
    try {
      url = new URL(address.trim(), site ?? NOWHERE);
    } catch {
      return { problem: 'thread URLs that are not URLs' };
    }
    if (!['http:', 'https:'].includes(url.protocol)) return { problem: 'thread URLs that are not http(s) addresses' };
    const onSite = url.origin === NOWHERE || siteHost === undefined || bareHost(url.host) === siteHost;
    const id = normalizePath(url.pathname, trailingSlash);
    if (id.length > LIMITS.threadId) return { problem: `thread URLs whose path is longer than ${LIMITS.threadId} characters` };
    for (const name of [...url.searchParams.keys()]) {
      if (name.toLowerCase().startsWith('utm_')) url.searchParams.delete(name);
    }
    url.hash = '';
    url.pathname = id;
    if (onSite && site) {
      url.protocol = site.protocol;
      url.host = site.host;
    }
    const normalized = url.origin === NOWHERE ? `${url.pathname}${url.search}` : url.href;
    return { id, url: normalized.slice(0, LIMITS.url), offSite: !onSite, query: url.search };
  };
}

/** The path without index.html and with the site's trailing-slash habit; "/" stays "/". */
export function normalizePath(pathname: string, trailingSlash: boolean) {
  const bare = pathname.replace(INDEX_PAGE, '/').replace(/\/+$/, '');
  if (bare === '') return '/';
  // A file's path ("/feed.xml", "/post.html") never gets a slash: the widget would not see one.
  const isFile = /\.[^/]*$/.test(bare);
  return trailingSlash && !isFile ? `${bare}/` : bare;
}
