// Storybook for designers: the stories in stories/, built with Vite from our vite.config.ts,
// minus what only the library builds want.
import type { StorybookConfig } from '@storybook/preact-vite';

const config: StorybookConfig = {
  framework: '@storybook/preact-vite',
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  // No requests to Storybook's servers from a designer's machine or from CI.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(config) {
    // vite.config.ts describes two library builds (ESM with preact, signals and ky external,
    // and the IIFE). Storybook builds an app: everything bundled, no library entry. Recent
    // builders already drop `build.lib`; make sure, and keep only Storybook's own externals.
    if (config.build) {
      delete config.build.lib;
      // Storybook's preview is one big app chunk by nature; the widget's own budget is elsewhere.
      config.build.chunkSizeWarningLimit = 2000;
      const options = config.build.rolldownOptions;
      if (options && Array.isArray(options.external)) {
        options.external = options.external.filter((entry) => !String(entry).includes('preact') && String(entry) !== '/^ky$/');
      }
      // The npm build's one-file-per-module output is not for an app.
      if (options) delete options.output;
    }
    // The vitest projects are for `vitest`, not for Storybook's Vite.
    delete (config as { test?: unknown }).test;
    return config;
  },
};

export default config;
