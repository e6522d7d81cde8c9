// What the thread store hands the parts that edit, delete, vote and post: one tuple, in this
// order (a tuple, not an object: its names cost no bytes in the bundle).
import type { ConfabError } from '../errors';
import type { CallOptions, ValidatedAdapter } from '../types';
import type { CommentNodes } from './comment-nodes';
import type { OwnComments } from './own-comments';

export type StoreParts = readonly [
  adapter: ValidatedAdapter,
  threadId: string,
  /** Passed to every adapter call: dispose() aborts them. */
  call: CallOptions,
  nodes: CommentNodes,
  own: OwnComments,
  /** True once the store is disposed: late answers are dropped. */
  isAborted: () => boolean,
  /** To options.onError; a throwing callback is swallowed. */
  report: (error: ConfabError) => void,
  /** Moves the thread's comment count by `delta`. */
  setCommentCount: (delta: number) => void,
];
