// Who moderates: a moderator signed in with their account, or whoever holds the admin token
// (a script, or someone who signed in to the dashboard with it). Recorded with every action.
export type Actor = { kind: 'token' } | { kind: 'moderator'; id: string; email: string; name: string };

export const TOKEN_ACTOR: Actor = { kind: 'token' };
