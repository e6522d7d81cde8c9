// Edit, delete and vote on one comment: the comment shows it is busy, a failure is put back
// and told on that comment, and nothing throws. Writes, like posting: their code comes with
// posting's part (posting.ts re-exports this), loaded when a reader first points at a comment's
// actions or focuses a form (thread-store.ts), so it imports no bundle code at run time.
import type { ReportInput, VoteValue } from '../types';
import type { CommentBusy, CommentNode } from './comment-nodes';
import type { PostingDeps } from './posting';
import type { StoreParts } from './parts';

export function createCommentActions(
  [batch, , toConfabError]: PostingDeps,
  [adapter, threadId, call, nodes, own, isAborted, reportError, setCommentCount]: StoreParts,
) {
  async function runOnComment(
    id: string,
    busy: Exclude<CommentBusy, null>,
    work: (node: CommentNode) => Promise<void>,
    undo?: (node: CommentNode) => void,
  ): Promise<boolean> {
    const node = nodes.node(id);
    if (!node || node.busy.peek()) return false;
    batch(() => {
      node.busy.value = busy;
      node.error.value = null;
    });
    try {
      await work(node);
      return true;
    } catch (err) {
      if (isAborted()) return false;
      const failure = toConfabError(err);
      batch(() => {
        undo?.(node);
        node.error.value = failure;
      });
      reportError(failure);
      return false;
    } finally {
      node.busy.value = null;
    }
  }

  function saveEdit(id: string, body: string): Promise<boolean> {
    const token = own.token(id);
    const text = body.trim();
    if (token === null || text === '' || !adapter.edit) return Promise.resolve(false);
    return runOnComment(id, 'saving', async (node) => {
      const updated = await adapter.edit!(threadId, id, text, token, call);
      batch(() => {
        node.comment.value = { ...updated, parentId: node.comment.peek().parentId };
        node.editing.value = false;
      });
    });
  }

  function remove(id: string): Promise<boolean> {
    const token = own.token(id);
    if (token === null || !adapter.remove) return Promise.resolve(false);
    return runOnComment(id, 'deleting', async (node) => {
      const updated = await adapter.remove!(threadId, id, token, call);
      const wasPublished = node.comment.peek().status === 'published';
      batch(() => {
        node.comment.value = { ...updated, parentId: node.comment.peek().parentId, status: 'deleted', body: '' };
        node.editing.value = false;
        if (wasPublished) setCommentCount(-1);
      });
    });
  }

  /** Optimistic: the score moves at once and moves back if the server says no. */
  function vote(id: string, value: VoteValue): Promise<boolean> {
    const node = nodes.node(id);
    if (!node || node.sending || !adapter.vote) return Promise.resolve(false);
    const before = { vote: node.myVote.peek(), comment: node.comment.peek() };
    return runOnComment(
      id,
      'voting',
      async () => {
        batch(() => {
          node.myVote.value = value;
          node.comment.value = { ...before.comment, score: before.comment.score - before.vote + value };
        });
        const score = await adapter.vote!(threadId, id, value, own.voterId(), call);
        node.comment.value = { ...node.comment.peek(), score };
        own.rememberVote(id, value);
      },
      () => {
        node.myVote.value = before.vote;
        node.comment.value = before.comment;
      },
    );
  }

  /** Reports as this reader (their voter id). The dialog that asked shows a failure itself. */
  const report = (id: string, input: ReportInput) => adapter.report!(threadId, id, input, own.voterId(), call);

  return { saveEdit, remove, vote, report };
}
