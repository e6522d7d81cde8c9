import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor, within } from '@testing-library/preact';
import { mount, type ConfabHandle } from '../../src/mount';
import { isConfabError } from '../../src/errors';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import de from '../../src/i18n/locales/de.json';

const handles: ConfabHandle[] = [];
afterEach(() => {
  handles.splice(0).forEach((h) => h.unmount());
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

function host() {
  const element = document.createElement('div');
  document.body.append(element);
  return element;
}

function track(handle: ConfabHandle) {
  handles.push(handle);
  return handle;
}

describe('mount()', () => {
  it('renders the thread inside an open shadow root with the widget styles adopted', async () => {
    const element = host();
    track(mount(element, { adapter: createMemoryAdapter([makeComment({ body: 'Inside the shadow' })]), thread: 't' }));
    const shadow = element.shadowRoot!;
    expect(shadow).toBeTruthy();
    await waitFor(() => expect(within(shadow as unknown as HTMLElement).getByText('Inside the shadow')).toBeTruthy());
    expect(shadow.adoptedStyleSheets.length).toBe(1);
    expect(element.children).toHaveLength(0); // nothing in the page's own DOM
  });

  it('renders into the element itself with shadow: false', async () => {
    const element = host();
    track(mount(element, { adapter: createMemoryAdapter([makeComment({ body: 'In the light' })]), thread: 't', shadow: false }));
    await waitFor(() => expect(within(element).getByText('In the light')).toBeTruthy());
    expect(element.shadowRoot).toBeNull();
  });

  it('replaces rather than duplicates when mounted twice on one element', async () => {
    const element = host();
    const adapter = createMemoryAdapter([makeComment({ body: 'Only once' })]);
    track(mount(element, { adapter, thread: 't' }));
    track(mount(element, { adapter, thread: 't' }));
    await waitFor(() => expect(within(element.shadowRoot as unknown as HTMLElement).getAllByText('Only once')).toHaveLength(1));
  });

  it('removes its DOM and styles and ignores late answers after unmount', async () => {
    const element = host();
    const adapter = createMemoryAdapter([makeComment({ body: 'Late' })]);
    const release = adapter.hold('list');
    const handle = mount(element, { adapter, thread: 't' });
    handle.unmount();
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(element.shadowRoot!.childNodes).toHaveLength(0);
    expect(element.shadowRoot!.adoptedStyleSheets).toHaveLength(0);
    expect(handle.store!.status.value).toBe('loading'); // the answer was ignored
  });

  it('shows one clear message and reports a typed error for a missing endpoint', () => {
    const element = host();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const onError = vi.fn();
    const handle = track(mount(element, { thread: 't', onError }));
    expect(element.textContent).toContain('set "endpoint"');
    expect(logged).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(isConfabError(handle.error)).toBe(true);
    expect(handle.error!.code).toBe('config');
    expect(handle.store).toBeNull();
  });

  it('refuses options it cannot use, naming the option', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const cases: [Record<string, unknown>, string][] = [
      [{ endpoint: 'javascript:alert(1)' }, '"endpoint" must be an http(s) URL'],
      [{ endpoint: '/api', sort: 'best' }, '"sort" must be one of'],
      [{ endpoint: '/api', pageSize: 0 }, '"pageSize" (data-page-size) must be a whole number'],
      [{ endpoint: '/api', thread: '..' }, '"thread" must be'],
      [{ endpoint: '/api', locale: 'not a locale!' }, '"locale" is not a language tag'],
    ];
    for (const [options, message] of cases) {
      const handle = track(mount(host(), options));
      expect(handle.error?.message).toContain(message);
    }
  });

  it('announces ready, posted and error as DOM events on the host element', async () => {
    const element = host();
    const seen: string[] = [];
    for (const type of ['confab:ready', 'confab:posted', 'confab:error']) {
      document.addEventListener(type, (event) =>
        seen.push(
          `${type} ${JSON.stringify((event as CustomEvent).detail?.commentCount ?? (event as CustomEvent).detail?.body ?? (event as CustomEvent).detail?.code)}`,
        ),
      );
    }
    const adapter = createMemoryAdapter([makeComment()]);
    const handle = track(mount(element, { adapter, thread: 't' }));
    await waitFor(() => expect(seen).toEqual(['confab:ready 1']));
    handle.store!.form(null).body.value = 'Hello';
    await handle.store!.submit(null);
    adapter.failNext('vote');
    await handle.store!.vote(adapter.comments[0]!.id, 1);
    expect(seen).toEqual(['confab:ready 1', 'confab:posted "Hello"', 'confab:error "network"']);
  });

  it('does not throw when given no element', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const handle = mount(null as unknown as Element, { endpoint: '/api' });
    expect(handle.error?.code).toBe('config');
    expect(() => handle.unmount()).not.toThrow();
  });

  it("keeps a rendering bug inside the widget and says so in the reader's language", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const element = host();
    // A plural whose forms cannot be read: the heading throws once the thread is there.
    const broken = {
      get other(): string {
        throw new Error('boom');
      },
    };
    const messages = { ...de, 'thread.heading': broken };
    track(mount(element, { adapter: createMemoryAdapter([makeComment()]), thread: 't', shadow: false, locale: 'de', messages }));
    await waitFor(() => expect(within(element).getByRole('alert').textContent).toBe(de['thread.crashed']));
    expect(de['thread.crashed']).toBe('Im Kommentar-Widget ist ein Problem aufgetreten.');
  });
});
