// Which catalog a language tag reads, and its direction: pure functions of the tag (Intl only),
// shared by the widget (registry.ts, messages-and-direction.ts) and the server's emails and
// pages (confab-server copies the built file, dist/i18n/negotiate.js, into its widget/ folder).

/**
 * The catalog a language tag reads: its language's (`de-AT` → `de`, `iw` → `he`), except for the
 * languages with several:
 *  - Chinese: Traditional script (zh-Hant, zh-TW, zh-HK, zh-MO, and the regions whose likely
 *    script is Traditional, by Intl.Locale's maximize()) → zh-TW; all else → zh (Simplified).
 *  - Portuguese: Brazil and plain `pt` → pt-BR; every other region → pt-PT (CLDR's parent locale
 *    for them: Angola, Mozambique… write European Portuguese).
 * `en` for English and for what is not a language tag.
 * Only Chinese and `und` need maximize(): its likely-subtags data costs 10-17 ms on a page's
 * first call (Chromium), where parsing a tag costs well under one.
 */
export function catalogOf(locale: string): string {
  let tag: Intl.Locale;
  try {
    tag = new Intl.Locale(locale);
    // Chinese by its script; no language (`und-BR`; Node leaves it undefined) by what its
    // script or region most likely means.
    if (/^(zh|und)?$/.test(tag.language ?? '')) tag = tag.maximize();
  } catch {
    return 'en';
  }
  const { language, script, region } = tag;
  return language === 'zh' && script === 'Hant'
    ? 'zh-TW'
    : language === 'pt'
      ? `pt-${region && region !== 'BR' ? 'PT' : 'BR'}`
      : language;
}

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb']);

export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RTL.has(catalogOf(locale)) ? 'rtl' : 'ltr';
}
