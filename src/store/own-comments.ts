// What this browser knows about the reader: edit tokens of their comments, their votes, and a
// random voter id. Kept in localStorage, read once (per comment it would make big threads slow).
import type { VoteValue } from '../types';
import { randomId } from '../util/values';
import type { KeyValueStorage } from './storage';

export function createOwnComments(storage: KeyValueStorage, scope: string, threadScope: string) {
  const tokensKey = `tokens:${scope}`;
  const votesKey = `votes:${threadScope}`;
  // Null prototypes: a comment id such as `__proto__` is just a key.
  const tokens: Record<string, string> = Object.assign(Object.create(null), storage.get(tokensKey));
  const votes: Record<string, VoteValue> = Object.assign(Object.create(null), storage.get(votesKey));

  return {
    token(id: string): string | null {
      const token = tokens[id];
      return typeof token === 'string' ? token : null;
    },
    rememberToken(id: string, token: string) {
      tokens[id] = token;
      storage.set(tokensKey, tokens);
    },
    vote(id: string): VoteValue {
      const vote = votes[id];
      return vote === 1 || vote === -1 ? vote : 0;
    },
    rememberVote(id: string, value: VoteValue) {
      votes[id] = value;
      storage.set(votesKey, votes);
    },
    voterId(): string {
      let id = storage.get<string>('voter');
      if (typeof id !== 'string' || id.length < 16) storage.set('voter', (id = randomId()));
      return id;
    },
  };
}

export type OwnComments = ReturnType<typeof createOwnComments>;
