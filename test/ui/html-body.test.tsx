// Bodies a backend rendered as HTML (the server adapters' `bodyHtml`) reach the page only through
// the allowlist sanitizer, built with createElement; the source text is what Edit starts from.
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/preact';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { makeComment } from '../fixtures/seed';
import { commentWith, renderThread } from './render-thread';
import { sanitizeHtml, type HtmlNode } from '../../src/format/sanitize-html';

describe('HTML bodies', () => {
  it('renders allowed HTML as elements and drops everything else', async () => {
    const hostile =
      '<p>Hello <strong>bold</strong> <a href="https://example.com/" onclick="x()">site</a>' +
      '<a href="javascript:alert(1)">js</a><img src="x" onerror="alert(1)"><script>alert(2)</script></p><ul><li>one</li></ul>';
    const adapter = createMemoryAdapter([makeComment({ id: 'h1', body: 'Hello **bold**', bodyHtml: hostile })]);
    adapter.sanitizeHtml = sanitizeHtml;
    await renderThread(adapter);
    const body = commentWith(/Hello/).closest('article')!.querySelector('.confab-body')!;
    expect(body.innerHTML).toBe(
      '<p>Hello <strong>bold</strong> <a href="https://example.com/" rel="nofollow ugc noopener noreferrer" target="_blank">site</a>js</p><ul><li>one</li></ul>',
    );
  });

  it('ignores bodyHtml from a backend whose adapter brings no sanitizer', async () => {
    await renderThread(createMemoryAdapter([makeComment({ body: 'The **text**', bodyHtml: '<p>The <em>html</em></p>' })]));
    expect(screen.getByText('text').tagName).toBe('STRONG');
    expect(screen.queryByText('html')).toBeNull();
  });

  it("checks a custom sanitizer's tree again: unknown tags become text, only http(s) links", async () => {
    const adapter = createMemoryAdapter([makeComment({ body: 'x', bodyHtml: 'ignored' })]);
    adapter.sanitizeHtml = () =>
      [
        { tag: 'script' as 'p', children: ['alert(1)'] },
        { tag: 'a', href: 'javascript:alert(1)', children: ['bad link'] },
        { tag: 'a', href: 'https://ok.example/', children: ['good link'] },
      ] as HtmlNode[];
    await renderThread(adapter);
    const body = commentWith(/bad link/).querySelector('.confab-body')!;
    expect(body.querySelector('script')).toBeNull();
    expect([...body.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://ok.example/']);
    expect(body.textContent).toBe('alert(1)bad linkgood link');
  });

  it('formats the text as before when there is no HTML', async () => {
    await renderThread(createMemoryAdapter([makeComment({ body: 'Plain **text** <b>stays</b>' })]));
    expect(screen.getByText('text').tagName).toBe('STRONG');
    expect(screen.getByText(/<b>stays<\/b>/)).toBeTruthy();
  });
});
