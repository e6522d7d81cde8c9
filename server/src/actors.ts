// Who moderates: a moderator signed in with their account, or whoever holds the admin token
// (a script, or someone who signed in to the dashboard with it), or the site owner at the
// command line (confab-server moderator …), or a moderator signed in on the host site, acting
// from the widget with a Confab-User token whose role is moderator (id: their author id, sso.ts).
// Recorded with every action.
export type Actor =
  | { kind: 'token' }
  | { kind: 'cli' }
  | { kind: 'moderator'; id: string; email: string; name: string }
  | { kind: 'sso'; id: string; name: string };

export const TOKEN_ACTOR: Actor = { kind: 'token' };
