// Code few readers need is a "part" that loads on first use: the report dialog, the edit form,
// the sign-in views (on pages with the `sso` option), live updates (with `live`), the comment
// counts (pages with count elements), posting (with voting, editing and deleting) and the writing
// half of the forms (when a reader first focuses a form or points at a comment's actions), the
// adoption of the server's markup (pages that have it: see ssr.tsx), the fold of a long comment
// (when one is drawn: see CommentBody.tsx), and what the comments' buttons and keys do (once the
// comments show, or at the first event in them: see comment-listener.ts).
// In the npm build a part is a dynamic import (a bundler splits it off); on script-tag pages it
// is confab-<part>.iife.js from next to the running script, with its nonce (as locales load).
// A part brings no Preact of its own: it runs on this bundle's, handed over as `partDeps`.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { jsx } from 'preact/jsx-runtime';
import { loadScript } from '../i18n/load-locale';
import { catalogOf } from '../i18n/registry';

/** Each part's module. */
interface Parts {
  report: typeof import('./ReportDialog');
  edit: typeof import('./EditForm');
  signin: typeof import('../sign-in-part');
  live: typeof import('../store/live-stream');
  posting: typeof import('../store/posting');
  write: typeof import('./WriteForm');
  counts: typeof import('../count-badges');
  adopt: typeof import('./adopt');
  fold: typeof import('./fold');
  events: typeof import('./comment-events');
}
export type PartName = keyof Parts;

declare global {
  /** Set by the parts' files: confab-report.iife.js sets `report`, and so on. */
  var ConfabParts: Partial<Parts> | undefined;
}

/**
 * This bundle's Preact, for the parts (one copy of Preact on the page); a tuple, not an
 * object: its names cost no bytes in this bundle.
 */
export const partDeps = [jsx, render, useEffect, useRef, useState] as const;
export type PartDeps = typeof partDeps;

/** The script-tag bundles (vite.config.ts builds them in this mode); constant, so the other way is left out. */
const IIFE = import.meta.env.MODE === 'iife';
/** The script tag of confab.iife.js (or a confab-<server>.iife.js), read while it runs. */
const self = IIFE ? (document.currentScript as HTMLScriptElement | null) : null;

/** A part's module; rejects when its code could not be loaded (a later call tries again). */
export async function loadPart<P extends PartName>(part: P): Promise<Parts[P]> {
  if (!IIFE)
    return (
      part === 'edit'
        ? import('./EditForm')
        : part === 'signin'
          ? import('../sign-in-part')
          : part === 'live'
            ? import('../store/live-stream')
            : part === 'posting'
              ? import('../store/posting')
              : part === 'write'
                ? import('./WriteForm')
                : part === 'adopt'
                  ? import('./adopt')
                  : part === 'fold'
                    ? import('./fold')
                    : part === 'events'
                      ? import('./comment-events')
                      : // (counts: only the script tag loads them as a part; see embed.ts)
                        import('./ReportDialog')
    ) as Promise<Parts[P]>;
  const loaded = () => globalThis.ConfabParts?.[part];
  if (!loaded()) await loadScript(new URL(`confab-${part}.iife.js`, self!.src).href, self!.nonce);
  const module = loaded();
  if (!module) throw new Error(`confab-${part}.iife.js did not load`);
  return module;
}

const wordsLoading = new Map<string, Promise<void>>();

/**
 * A part's words in `locale`, on script-tag pages: locales/<catalog>-<part>.iife.js, which the
 * first load's locale file leaves out (scripts/build-locales.mjs); the translator finds them
 * there (i18n/translate.ts). Resolves when the file ran or failed: the part then speaks English.
 * In the npm build a site passes whole catalogs (`messages`): there is nothing to load.
 */
export function loadPartWords(part: 'write' | 'report' | 'edit' | 'signin', locale: string): Promise<void> {
  const file = `${catalogOf(locale)}-${part}`;
  if (!IIFE || file.startsWith('en-')) return Promise.resolve();
  let loading = wordsLoading.get(file);
  if (!loading) wordsLoading.set(file, (loading = loadScript(new URL(`locales/${file}.iife.js`, self!.src).href, self!.nonce)));
  return loading;
}
