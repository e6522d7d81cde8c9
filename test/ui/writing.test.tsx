// The form's writing aids (issue 20): Preview and Formatting drawn by the formatter published
// comments use, the counter near the 10,000-character limit and what it says to screen readers,
// and the honeypot that bots fill and people never see.
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { createMemoryAdapter } from '../fixtures/memory-adapter';
import { renderThread } from './render-thread';
import { MAX_BODY } from '../../src/store/forms';
import { MAX_BODY as PART_MAX_BODY } from '../../src/ui/WriteForm';

const topForm = () => screen.getByRole('textbox', { name: 'Your comment' }) as HTMLTextAreaElement;
const setBody = (text: string) => fireEvent.input(topForm(), { target: { value: text } });
/** The line a screen reader hears (politely) about the count. */
const spoken = () => topForm().closest('.confab-field')!.querySelector('[aria-live="polite"]')!.textContent;
const counter = () => topForm().closest('.confab-field')!.querySelector('[id$="-count"]')?.textContent ?? null;

describe('writing a comment', () => {
  it('previews the draft as the thread will show it, text staying text', async () => {
    const { user } = await renderThread(createMemoryAdapter([]));
    await user.type(topForm(), 'x'); // the first focus brings the writing half
    setBody('**Strong** and *soft*, `code`\n> quoted\n<img src=x onerror=alert(1)> https://example.com/a.');
    const toggle = screen.getByRole('button', { name: 'Preview' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    const preview = await screen.findByRole('region', { name: 'Preview' });
    await waitFor(() => expect(preview.querySelector('strong')?.textContent).toBe('Strong'));
    expect(preview.querySelector('em')?.textContent).toBe('soft');
    expect(preview.querySelector('code')?.textContent).toBe('code');
    expect(preview.querySelector('blockquote')?.textContent).toBe('quoted');
    expect(preview.querySelector('a')?.getAttribute('href')).toBe('https://example.com/a');
    expect(preview.querySelector('img')).toBeNull();
    expect(preview.textContent).toContain('<img src=x onerror=alert(1)>');
    // It follows the text, and says so when there is none.
    setBody('Now *this*');
    await waitFor(() => expect(preview.querySelector('em')?.textContent).toBe('this'));
    setBody('  ');
    expect(within(preview).getByText('Write something first.')).toBeTruthy();
    await user.click(toggle);
    expect(screen.queryByRole('region', { name: 'Preview' })).toBeNull();
  });

  it('opens the formatting help, each mark as typed and as shown', async () => {
    const { user } = await renderThread(createMemoryAdapter([]));
    const toggle = screen.getByRole('button', { name: 'Formatting' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.hasAttribute('aria-controls')).toBe(false);
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const help = await waitFor(() => {
      const list = document.getElementById(toggle.getAttribute('aria-controls')!);
      expect(list).toBeTruthy();
      return list!;
    });
    const terms = [...help.querySelectorAll('dt')].map((term) => term.textContent);
    expect(terms).toEqual(['**bold**', '*italic*', '`code`', '> a quote', 'https://example.com']);
    await waitFor(() => expect(help.querySelector('dd strong')?.textContent).toBe('bold'));
    expect(help.querySelector('dd em')?.textContent).toBe('italic');
    expect(help.querySelector('dd blockquote')?.textContent).toBe('a quote');
    expect(help.querySelector('dd a')?.getAttribute('href')).toBe('https://example.com');
    await user.click(toggle);
    expect(help.isConnected).toBe(false);
  });

  it('counts down from 1,000 characters left and says so only at each step, not on each key', async () => {
    const { user } = await renderThread(createMemoryAdapter([]));
    await user.type(topForm(), 'x');
    setBody('x'.repeat(8_999));
    expect(counter()).toBeNull();
    expect(spoken()).toBe('');
    setBody('x'.repeat(9_000));
    expect(counter()).toBe('1,000 characters left');
    expect(spoken()).toBe('1,000 characters left');
    expect(topForm().getAttribute('aria-describedby')).toMatch(/-count$/);
    setBody('x'.repeat(9_001));
    expect(counter()).toBe('999 characters left');
    expect(spoken()).toBe('1,000 characters left'); // unchanged: nothing new is read out
    setBody('x'.repeat(9_400));
    expect(spoken()).toBe('1,000 characters left');
    setBody('x'.repeat(9_501));
    expect(counter()).toBe('499 characters left');
    expect(spoken()).toBe('499 characters left');
    setBody('x'.repeat(9_999));
    expect(counter()).toBe('1 character left');
    setBody('x'.repeat(10_000));
    expect(counter()).toBe('0 characters left');
    expect(spoken()).toBe('0 characters left');
    setBody('x'.repeat(10_001));
    expect(counter()).toBe('Keep it to at most 10,000 characters.');
    expect(spoken()).toBe('Keep it to at most 10,000 characters.');
    setBody('short again');
    expect(counter()).toBeNull();
    expect(spoken()).toBe('');
  });

  it('shows the counter beside another message of the field, not beside the same one', async () => {
    const { user } = await renderThread(createMemoryAdapter([]));
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await screen.findByText('Write something first.');
    setBody('x'.repeat(9_990));
    expect(counter()).toBe('10 characters left');
    expect(topForm().getAttribute('aria-describedby')!.split(' ')).toHaveLength(2);
    setBody('x'.repeat(10_001));
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await screen.findByText('Keep it to at most 10,000 characters.', { selector: '[id$="-body-error"]' });
    expect(counter()).toBeNull(); // the message says it already
  });

  it('counts to the limit our checks apply', () => {
    expect(PART_MAX_BODY).toBe(MAX_BODY);
  });

  it('posts exactly 10,000 characters and refuses one more, saying what is allowed', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    await user.type(topForm(), 'x');
    setBody('y'.repeat(10_001));
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    const message = await screen.findByText('Keep it to at most 10,000 characters.', {
      selector: '.confab-field-error[id$="-body-error"]',
    });
    expect(topForm().getAttribute('aria-invalid')).toBe('true');
    expect(topForm().getAttribute('aria-describedby')).toBe(message.id);
    expect(adapter.comments).toHaveLength(0);
    setBody('y'.repeat(10_000));
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    expect(adapter.comments[0]!.body).toHaveLength(10_000);
  });

  it('renders the honeypot from the first render, out of reach, and sends it only when filled', async () => {
    const adapter = createMemoryAdapter([]);
    const { user } = await renderThread(adapter);
    // Before any focus: bots fill forms without focusing them.
    const trap = document.querySelector<HTMLInputElement>('input[name="website"]')!;
    expect(trap).toBeTruthy();
    expect(trap.tabIndex).toBe(-1);
    expect(trap.getAttribute('autocomplete')).toBe('off');
    expect(trap.getAttribute('aria-hidden')).toBe('true');
    expect(trap.parentElement!.classList.contains('confab-visually-hidden')).toBe(true);
    expect(screen.queryByRole('textbox', { name: /website/i })).toBeNull();

    await user.type(topForm(), 'A person wrote this');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(adapter.comments).toHaveLength(1));
    expect(adapter.calls.find((c) => c.op === 'post')!.input).not.toHaveProperty('website');

    trap.value = 'https://spam.example'; // as a bot sets it: no input event
    await user.type(topForm(), 'A bot wrote this');
    await user.click(screen.getByRole('button', { name: 'Post comment' }));
    await waitFor(() => expect(adapter.calls.filter((c) => c.op === 'post')).toHaveLength(2));
    expect(adapter.calls.filter((c) => c.op === 'post')[1]!.input!.website).toBe('https://spam.example');
  });
});
