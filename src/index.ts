// The public surface of the npm package: re-exports only.
export { mount, type ConfabHandle } from './mount';
export type { ConfabOptions } from './options';
export { ConfabError, isConfabError, type ConfabErrorCode } from './errors';
export { createHttpAdapter, type HttpAdapterOptions } from './api/http-adapter';
export { createThreadStore, type ThreadStore, type ThreadStoreOptions, type CommentNode } from './store/thread-store';
export { ConfabProvider } from './ui/ConfabProvider';
export { Thread } from './ui/Thread';
export { Comment, type CommentProps } from './ui/Comment';
export { ReplyForm, type ReplyFormProps } from './ui/ReplyForm';
export type {
  Adapter,
  Author,
  CallOptions,
  Comment as CommentData,
  CommentPage,
  CommentStatus,
  ListQuery,
  NewComment,
  PostedComment,
  SortOrder,
  ThreadInfo,
  VoteValue,
} from './types';
