// The public surface of the npm package: re-exports only.
export { mount, type ConfabHandle } from './mount';
export { fillCounts, type CountsOptions } from './counts';
export type { ConfabOptions, Theme } from './options';
export type { Messages, MessageKey } from './i18n/en';
export { registerLocale } from './i18n/registry';
export { ConfabError, isConfabError, type ConfabErrorCode, type ServerErrorCode } from './errors';
export { createHttpAdapter, type HttpAdapterOptions } from './api/http-adapter';
export { createStaticJsonAdapter, type StaticJsonAdapterOptions } from './adapters/static-json';
export { createThreadStore, type ThreadStore, type ThreadStoreOptions, type CommentNode } from './store/thread-store';
export { ConfabProvider } from './ui/ConfabProvider';
export { adoptStyles } from './styles/adopt';
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
  FullAdapter,
  ListQuery,
  NewComment,
  PostedComment,
  SortOrder,
  ThreadInfo,
  VoteValue,
} from './types';
