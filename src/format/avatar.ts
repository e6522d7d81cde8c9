// Initials and a stable colour for comments without an avatar: nothing asked of third parties.
export const AVATAR_COLOURS = 8;

// Format and control characters (bidi overrides, zero-width joiners, NUL…) draw nothing: an
// initial must be a character one can see, and an override must not end up in the avatar.
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

/** Names repeat across a thread: each one's initials are worked out once. */
const initialsOf = new Map<string, string>();
const MAX_REMEMBERED = 2_000;

export function initials(name: string): string {
  let known = initialsOf.get(name);
  if (known === undefined) {
    if (initialsOf.size >= MAX_REMEMBERED) initialsOf.clear();
    initialsOf.set(name, (known = initialsFor(name)));
  }
  return known;
}

function initialsFor(name: string): string {
  const words = name.replace(INVISIBLE, '').trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? '');
  return letters.join('').toLocaleUpperCase() || '?';
}

/** The same name always gets the same colour (FNV-1a over UTF-16 units). */
export function colourIndex(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % AVATAR_COLOURS;
}
