// What the thread store hands its parts (posting, comment actions, live updates): one object,
// so each part takes what it needs without a long parameter list.
import type { ReadonlySignal, Signal } from '@preact/signals-core';
import type { ConfabError } from '../errors';
import type { CallOptions, SortOrder, ThreadInfo, ValidatedAdapter } from '../types';
import type { CommentNodes } from './comment-nodes';
import type { ReplyForms } from './forms';
import type { OwnComments } from './own-comments';
import type { FocusRequest, LoadStatus, ThreadStoreOptions } from './thread-store';

export interface StoreContext {
  options: ThreadStoreOptions;
  adapter: ValidatedAdapter;
  threadId: string;
  /** Passed to every adapter call: dispose() aborts them. */
  call: CallOptions;
  nodes: CommentNodes;
  forms: ReplyForms;
  own: OwnComments;
  thread: Signal<ThreadInfo | null>;
  status: ReadonlySignal<LoadStatus>;
  sort: ReadonlySignal<SortOrder>;
  nextCursor: ReadonlySignal<string | null>;
  online: ReadonlySignal<boolean>;
  focusRequest: Signal<FocusRequest | null>;
  /** True once the store is disposed: late answers are dropped. */
  isAborted(): boolean;
  /** To options.onError; a throwing callback is swallowed. */
  report(error: ConfabError): void;
  /** Moves the thread's comment count by `delta`. */
  setCommentCount(delta: number): void;
  /** One page after `cursor`, in the current order. */
  readPage(cursor: string | null): ReturnType<ValidatedAdapter['list']>;
  /** A load newer than `generation` started, or the store was disposed: drop the answer. */
  isStale(generation: number): boolean;
}
