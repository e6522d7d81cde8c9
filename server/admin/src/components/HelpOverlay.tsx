// The keyboard help: a modal dialog listing the shortcuts; Escape or Close shuts it and the
// focus goes back where it was.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';
import { SHORTCUTS } from '../keyboard';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const close = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div class="adm-overlay" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div
        class="adm-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onKeyDown={(event) => {
          // One button: Tab stays on it, the rest of the page is behind the dialog.
          if (event.key === 'Tab') event.preventDefault();
        }}
      >
        <h2 id="help-title">{t('help.title')}</h2>
        <p>{t('help.text')}</p>
        <dl class="adm-keys">
          {SHORTCUTS.map(({ key, shortcut }) => (
            <div key={key} class="adm-key">
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{t(`key.${shortcut}`)}</dd>
            </div>
          ))}
        </dl>
        <button ref={close} type="button" class="adm-button adm-button--primary" onClick={onClose}>
          {t('help.close')}
        </button>
      </div>
    </div>
  );
}
