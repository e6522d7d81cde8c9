// The English of the strings only the server rendering (ssr.tsx) shows: kept out of the
// widget's bundle, as the parts' strings are.
export const enSsr = {
  'ssr.noscript': 'Replying needs JavaScript.',
};
