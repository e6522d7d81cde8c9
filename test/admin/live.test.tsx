import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/preact';
import { createApi } from '../../server/admin/src/api';
import { decodeComment } from '../../server/admin/src/decode';
import { createLiveStore, mergeIncoming, titleFor } from '../../server/admin/src/live-store';
import { createFakeServer } from './fake-server';
import { MODERATOR_ACTOR, wireComment } from './fixtures';
import { renderApp } from './render-app';

const comment = (overrides: Parameters<typeof wireComment>[0]) => decodeComment(wireComment(overrides));

describe('live updates', () => {
  it('puts the pending count in the title', () => {
    expect(titleFor(null)).toBe('Confab moderation');
    expect(titleFor({ pending: 0, reported: 2, spam: 1 })).toBe('Confab moderation');
    expect(titleFor({ pending: 3, reported: 0, spam: 0 })).toBe('(3) Confab moderation');
  });

  it('merges an announced comment: in place when shown, first when new and of the view, never into a search', () => {
    const a = comment({ id: 'a', status: 'pending' });
    const b = comment({ id: 'b', status: 'pending' });
    const fresh = comment({ id: 'n', status: 'pending' });
    expect(mergeIncoming('pending', [a, b], fresh, false).map((c) => c.id)).toEqual(['n', 'a', 'b']);
    expect(mergeIncoming('pending', [a, b], fresh, true).map((c) => c.id)).toEqual(['a', 'b']);
    expect(mergeIncoming('spam', [a], fresh, false).map((c) => c.id)).toEqual(['a']);
    const reported = comment({ id: 'r', status: 'published', reports: { count: 1, reasons: { spam: 1 }, notes: [] } });
    expect(mergeIncoming('reported', [], reported, false).map((c) => c.id)).toEqual(['r']);
    expect(mergeIncoming('pending', [], reported, false)).toEqual([]);
    const edited = { ...b, body: 'changed' };
    expect(mergeIncoming('pending', [a, b], edited, false)[1]!.body).toBe('changed');
  });

  it('keeps the counts from the stream, and asks again when the browser gives up on it', async () => {
    vi.useFakeTimers();
    try {
      const server = createFakeServer({ signedIn: MODERATOR_ACTOR });
      const live = createLiveStore(createApi({ fetch: server.fetch, eventSource: server.eventSource }), { retryMs: 1000 });
      live.start();
      await vi.waitFor(() => expect(live.counts.value).toEqual({ pending: 3, reported: 1, spam: 1 }));
      server.stream!.emit('counts', { pending: 5, reported: 1, spam: 1 });
      expect(live.title.value).toBe('(5) Confab moderation');
      expect(live.connected.value).toBe(true);
      server.stream!.fail(true);
      expect(live.connected.value).toBe(false);
      expect(server.sources).toHaveLength(1);
      await vi.waitFor(() => expect(live.counts.value!.pending).toBe(3));
      vi.advanceTimersByTime(1000);
      expect(server.sources).toHaveLength(2);
      live.stop();
      expect(server.stream).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('updates the counts in the navigation and the title, and adds new pending comments without reload', async () => {
    const { server, title } = renderApp();
    await screen.findByRole('article', { name: /^Ann/ });
    await waitFor(() => expect(server.stream).toBeDefined());
    server.stream!.emit('counts', { pending: 4, reported: 2, spam: 1 });
    await waitFor(() => expect(title()).toBe('(4) Confab moderation'));
    expect(within(screen.getByRole('link', { name: /Pending/ })).getByText('4')).toBeTruthy();
    expect(within(screen.getByRole('link', { name: /Reported/ })).getByText('2')).toBeTruthy();

    const fresh = wireComment({
      id: 'new1',
      status: 'pending',
      author: { name: 'Farah' },
      body: 'Just posted',
      holdReason: 'too-fast',
    });
    server.stream!.emit('comment', { comment: fresh });
    const article = await screen.findByRole('article', { name: /^Farah/ });
    expect(screen.getAllByRole('article')[0]).toBe(article);
    expect(within(article).getByText('Held: sent too fast after the form opened')).toBeTruthy();
    // The same comment again (now reported) changes it in place, no duplicate.
    server.stream!.emit('comment', { comment: { ...fresh, reports: { count: 1, reasons: { spam: 1 }, notes: [] } } });
    await waitFor(() =>
      expect(within(screen.getByRole('article', { name: /^Farah/ })).getByText('Reported once: spam 1')).toBeTruthy(),
    );
    expect(screen.getAllByRole('article')).toHaveLength(4);
  });
});
