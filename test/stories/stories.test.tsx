// Every story in stories/ is also a test: composed with the project's annotations (the
// decorator, the a11y addon's checks), rendered in happy-dom, its play function run. A story that
// throws, logs an error, renders nothing, or (where axe can judge without layout) breaks an
// accessibility rule fails the suite.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { setProjectAnnotations, type PreactRenderer } from '@storybook/preact';
import { composeStories } from 'storybook/preview-api';
import type { ComposedStoryFn, Store_CSFExports } from 'storybook/internal/types';
import * as a11yAnnotations from '@storybook/addon-a11y/preview';
import preview from '../../.storybook/preview';
import { TOKENS, tokenDefaults } from '../../stories/support/theme';

// @storybook/preact sets the Preact renderer as the default annotations; composeStories from the
// core API then needs the composed project passed in (it ignores the global one).
const project = setProjectAnnotations([a11yAnnotations, preview]);

const files = import.meta.glob<Store_CSFExports>('../../stories/**/*.stories.tsx', { eager: true });

interface A11yReport {
  type: string;
  result?: { violations?: { id: string; help: string; nodes: { target: unknown }[] }[]; error?: unknown };
}

/** The wall clock is real (relative times), but a story must not wait on it forever. */
const STORY_TIMEOUT = 20_000;

describe('stories', () => {
  it('finds a stories file for each component', () => {
    const names = Object.keys(files).map((path) => path.split('/').pop());
    expect(names).toEqual(expect.arrayContaining(['Thread.stories.tsx', 'Comment.stories.tsx', 'ReplyForm.stories.tsx']));
  });

  it('offers a control for every --confab-* token widget.css reads, with its default', () => {
    const css = readFileSync('src/styles/widget.css', 'utf8');
    const read = new Set(css.match(/--confab-[a-z-]+/g));
    expect(new Set(TOKENS.map((t) => t.token))).toEqual(read);
    const defaults = tokenDefaults(css);
    for (const { token } of TOKENS) expect(defaults[token], token).toBeTruthy();
  });
});

for (const [path, module] of Object.entries(files)) {
  const stories = composeStories(module, project) as Record<string, ComposedStoryFn<PreactRenderer>>;

  describe(path.replace('../../', ''), () => {
    let canvas: HTMLElement;
    let errors: unknown[][];

    beforeEach(() => {
      canvas = document.createElement('div');
      document.body.append(canvas);
      errors = [];
      vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
    });

    afterEach(() => {
      render(null, canvas);
      canvas.remove();
      vi.restoreAllMocks();
    });

    it('has stories', () => expect(Object.keys(stories).length).toBeGreaterThan(0));

    for (const [name, story] of Object.entries(stories)) {
      it(`${name}${story.play ? ' (with its play function)' : ''}`, { timeout: STORY_TIMEOUT }, async () => {
        // run(): loaders, render into the canvas, play function, then the a11y addon's afterEach.
        // Stories tagged `large` skip axe here: happy-dom makes it take many seconds.
        const large = story.tags.includes('large');
        const parameters = large ? { ...story.parameters, a11y: { ...story.parameters.a11y, disable: true } } : story.parameters;
        await story.run({ canvasElement: canvas, parameters });

        const widget = canvas.querySelector('.confab');
        expect(widget, 'the story rendered no widget').not.toBeNull();
        expect(widget!.children.length, 'the widget is empty').toBeGreaterThan(0);
        expect(canvas.textContent?.trim(), 'the story shows no text').not.toBe('');
        expect(errors, 'the story logged errors').toEqual([]);

        const a11y = (story.reporting.reports as A11yReport[]).filter((report) => report.type === 'a11y');
        if (!large) expect(a11y.length, 'the a11y addon did not run').toBeGreaterThan(0);
        for (const report of a11y) {
          expect(report.result?.error, 'axe failed to run').toBeUndefined();
          const violations = (report.result?.violations ?? []).map(
            (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => String(n.target)).join(', ')})`,
          );
          expect(violations, 'accessibility violations').toEqual([]);
        }
      });
    }
  });
}
