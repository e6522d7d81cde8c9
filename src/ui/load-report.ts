// The report dialog is code few readers ever need, so it loads on the first Report click: a
// dynamic import in the npm build (a bundler splits it off), and confab-report.iife.js from next
// to the running script on script-tag pages (as locales load). Either way it brings no Preact
// of its own: it runs on this bundle's, handed over with each call.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { jsx } from 'preact/jsx-runtime';
import { loadScript } from '../i18n/load-locale';
import type { openReportDialog } from './ReportDialog';
import type { WidgetContextValue } from './context';
import { errorText } from './error-text';

declare global {
  /** Set by confab-report.iife.js. */
  var ConfabReport: { openReportDialog: typeof openReportDialog } | undefined;
}

/** The script-tag bundles (vite.config.ts builds them in this mode); constant, so the other way is left out. */
const IIFE = import.meta.env.MODE === 'iife';
/** The script tag of confab.iife.js (or a confab-<server>.iife.js), read while it runs. */
const self = IIFE ? (document.currentScript as HTMLScriptElement | null) : null;

/** Opens the dialog for comment `id`; rejects when its code could not be loaded (a later click tries again). */
export async function openReport(widget: WidgetContextValue, id: string, button: HTMLElement): Promise<void> {
  const { openReportDialog: open } = IIFE
    ? (globalThis.ConfabReport ??
      (await loadScript(new URL('confab-report.iife.js', self!.src).href, self!.nonce), globalThis.ConfabReport!))
    : await import('./ReportDialog');
  open([jsx, render, useEffect, useRef, useState], widget, id, button, errorText);
}
