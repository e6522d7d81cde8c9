// The whole thread: heading, sort switch, the top-level form, the list and its states. Each
// part is its own component reading its own signals, so a new reply does not re-render them.
import { useId } from 'preact/hooks';
import type { SortOrder } from '../types';
import { useWidget } from './context';
import { commentListeners } from './comment-listener';
import { CommentList } from './CommentList';
import { ReplyForm } from './ReplyForm';
import { errorText } from './error-text';
import { FocusManager } from './FocusManager';

const SORTS: SortOrder[] = ['oldest', 'newest', 'top'];

export function Thread() {
  const headingId = useId();
  const widget = useWidget();
  // One listener per kind for every comment's buttons, tooltips and avatars (see comment-events.ts).
  return (
    <section
      class="confab-thread"
      aria-labelledby={headingId}
      part="thread"
      ref={(element) => {
        if (element) widget.view.root = element.getRootNode() as Document | ShadowRoot;
      }}
      {...commentListeners(widget)}
    >
      {/* Past every comment in one step: to the widget's end. A link to a fragment would look
          for the id in the page, not in the shadow root: focused here. The end is a tab stop
          while it has focus (Chromium tabs from a tabindex="-1" element in a shadow root back
          to the root's first stop), and only then. */}
      <a
        class="confab-skip"
        href={`#${headingId}-end`}
        onClick={(event) => {
          event.preventDefault();
          const end = widget.view.root?.getElementById(`${headingId}-end`);
          if (end) end.tabIndex = 0;
          end?.focus();
        }}
      >
        {widget.t('thread.skip')}
      </a>
      <Header headingId={headingId} />
      <TopForm />
      <Status />
      <Offline />
      <HeldComments />
      <CommentList />
      <FocusManager />
      <span id={`${headingId}-end`} class="confab-end" tabIndex={-1} onBlur={(event) => (event.currentTarget.tabIndex = -1)} />
    </section>
  );
}

function Header({ headingId }: { headingId: string }) {
  const { store, t, intlReady } = useWidget();
  const thread = store.thread.value;
  const sort = store.sort.value;
  // "1,204 comments" needs Intl's number formatter: until it is built (once the first comments
  // are painted: CommentList), "Comments". (A smaller count is written without one, or the
  // translator builds it: i18n/translate.ts.)
  const counted = thread && (thread.commentCount < 1000 || intlReady());
  return (
    <header class="confab-header">
      <h2 id={headingId} class="confab-heading" part="heading">
        {counted ? t('thread.heading', { count: thread.commentCount }) : t('thread.label')}
      </h2>
      <div class="confab-sort" role="group" aria-label={t('thread.sort')}>
        {SORTS.map((option) => (
          <button
            type="button"
            key={option}
            class="confab-sort-button"
            aria-pressed={sort === option}
            onClick={() => store.setSort(option)}
          >
            {t(`sort.${option}`)}
          </button>
        ))}
      </div>
    </header>
  );
}

function TopForm() {
  const { store, t } = useWidget();
  // A read-only backend; or the thread did not load, and a draft would have nowhere to go (Retry brings the form back).
  if (!store.can.post || store.status.value === 'error') return null;
  // Closed: the notice instead of the form, unless the reader's unsent text is in it (kept, read-only),
  // or the reader is a moderator (whose form shows the notice with the switch to unlock).
  if (store.locked.value && !store.form(null).body.value && !store.signIn.value?.tools)
    return <p class="confab-notice">{t('thread.locked')}</p>;
  return <ReplyForm parentId={null} />;
}

function Status() {
  const { store, t } = useWidget();
  const status = store.status.value;
  const error = store.error.value;
  const skipped = store.skipped.value;
  if (status === 'loading') {
    return (
      <p class="confab-notice confab-loading" role="status">
        {t('thread.loading')}
      </p>
    );
  }
  if (status === 'error' && error) {
    return (
      <div class="confab-notice confab-notice--error" role="alert">
        <p>{errorText(t, error)}</p>
        <button type="button" class="confab-button" onClick={() => void store.load()}>
          {t('action.retry')}
        </button>
      </div>
    );
  }
  return (
    <>
      {status === 'ready' && store.rootIds.value.length === 0 && <p class="confab-notice confab-empty">{t('thread.empty')}</p>}
      {skipped > 0 && (
        <p class="confab-notice" role="status">
          {t('thread.skipped', { count: skipped })}
        </p>
      )}
    </>
  );
}

function Offline() {
  const { store, t } = useWidget();
  return store.online.value ? null : (
    <p class="confab-notice" role="status">
      {t('thread.offline')}
    </p>
  );
}

/** "N new comments": live top-level comments held back so the page does not shift. */
function HeldComments() {
  const { store, t } = useWidget();
  const count = store.held.value.length;
  return (
    <div class="confab-held" aria-live="polite">
      {count > 0 && (
        <button type="button" class="confab-button confab-button--primary" onClick={() => store.showHeld()}>
          {t('thread.newComments', { count })}
        </button>
      )}
    </div>
  );
}
