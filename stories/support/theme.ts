// The widget's public theme tokens (the --confab-* custom properties) as Storybook controls.
// widget.css never declares them, it only reads them with its defaults as fallbacks, so a value
// set on any ancestor reaches the widget. A story sets them on its frame, as a site would on the
// element it mounts into. The defaults shown in the controls table are read from widget.css
// itself; test/stories/stories.test.tsx checks that this list names every token it reads.
import type { ArgTypes } from '@storybook/preact';
import css from '../../src/styles/widget.css?raw';

export const TOKENS = [
  { arg: 'text', token: '--confab-text', kind: 'color', description: 'Body text' },
  { arg: 'muted', token: '--confab-muted', kind: 'color', description: 'Times, "edited", quotes, hints' },
  { arg: 'background', token: '--confab-background', kind: 'color', description: 'Widget and field background' },
  { arg: 'surface', token: '--confab-surface', kind: 'color', description: 'Buttons, notices, code' },
  { arg: 'border', token: '--confab-border', kind: 'color', description: 'Borders and the line beside replies' },
  { arg: 'accent', token: '--confab-accent', kind: 'color', description: 'Links, primary button, selected sort, highlight' },
  { arg: 'accentText', token: '--confab-accent-text', kind: 'color', description: 'Text on the accent colour' },
  { arg: 'danger', token: '--confab-danger', kind: 'color', description: 'Errors and the delete button' },
  { arg: 'dangerText', token: '--confab-danger-text', kind: 'color', description: 'Text on the danger colour' },
  { arg: 'focus', token: '--confab-focus', kind: 'color', description: 'Focus outline' },
  { arg: 'font', token: '--confab-font', kind: 'text', description: 'Font family' },
  { arg: 'fontSize', token: '--confab-font-size', kind: 'text', description: 'Base font size' },
  { arg: 'lineHeight', token: '--confab-line-height', kind: 'text', description: 'Line height' },
  { arg: 'radius', token: '--confab-radius', kind: 'text', description: 'Corner radius of fields, buttons, notices' },
  { arg: 'space', token: '--confab-space', kind: 'text', description: 'Space between comments and sections' },
  { arg: 'indent', token: '--confab-indent', kind: 'text', description: 'Indent per reply level' },
  { arg: 'avatarSize', token: '--confab-avatar-size', kind: 'text', description: 'Avatar size (and the indent of a body)' },
] as const;

export type TokenArg = (typeof TOKENS)[number]['arg'];
export type TokenArgs = Partial<Record<TokenArg, string>>;

/**
 * Each token's fallback in widget.css, `var(--confab-x, <default>)`, as written there (colours
 * as `light-dark(<light>, <dark>)`). Empty where the CSS is not loaded as text (vitest).
 */
export function tokenDefaults(source: string = css ?? ''): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const match of source.matchAll(/var\((--confab-[a-z-]+),\s*((?:[^()]|\([^()]*\))+)\)/g)) {
    defaults[match[1]!] ??= match[2]!.trim();
  }
  return defaults;
}

/** The custom properties a designer set, for the story's frame. */
export function tokenStyle(values: TokenArgs): Record<string, string> {
  const style: Record<string, string> = {};
  for (const { arg, token } of TOKENS) {
    const value = values[arg]?.trim();
    if (value) style[token] = value;
  }
  return style;
}

const SWATCHES = ['#0b57d0', '#7cacf8', '#1a7f37', '#8250df', '#bc4c00', '#cf222e', '#1f2328', '#ffffff'];

export function tokenArgTypes(): ArgTypes {
  const defaults = tokenDefaults();
  return Object.fromEntries(
    TOKENS.map(({ arg, token, kind, description }) => [
      arg,
      {
        name: token,
        description: `${description}. Unset: the widget's default for the theme.`,
        control: kind === 'color' ? { type: 'color', presetColors: SWATCHES } : { type: 'text' },
        table: {
          category: 'Theme tokens',
          type: { summary: kind === 'color' ? 'CSS colour' : 'CSS length, number or font list' },
          ...(defaults[token] ? { defaultValue: { summary: defaults[token] } } : {}),
        },
      },
    ]),
  );
}
