// Gives the components below it the store, strings and a clock; mount() renders it for you.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo } from 'preact/hooks';
import { signal } from '@preact/signals';
import { useWidget, WidgetContext, createWidgetContextValue, type ProviderOptions } from './context';

export function ConfabProvider({ children, ...options }: ProviderOptions & { children: ComponentChildren }) {
  const value = useMemo(
    () => createWidgetContextValue({ ...options, now: options.now ?? signal(Date.now()) }),
    [options.store, options.locale, options.messages, options.t, options.maxDepth, options.now],
  );
  useEffect(() => {
    if (options.now) return; // the caller owns the clock
    const clock = value.now as ReturnType<typeof signal<number>>;
    const timer = setInterval(() => (clock.value = Date.now()), 60_000);
    return () => clearInterval(timer);
  }, [value]);
  return (
    <WidgetContext.Provider value={value}>
      {children}
      <Announcement />
    </WidgetContext.Provider>
  );
}

/**
 * Short confirmations ("Link copied"), seen and read out: one status line per widget, here so
 * that comments rendered without <Thread> have it too.
 */
function Announcement() {
  const { view } = useWidget();
  return (
    <p class="confab-toast" role="status">
      {view.announcement.value}
    </p>
  );
}
