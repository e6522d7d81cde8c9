import { useState } from 'preact/hooks';
import { colourIndex, initials } from '../format/avatar';

export function Avatar({ name, url }: { name: string; url: string | null }) {
  // An avatar that fails to load (gone, blocked, offline) falls back to the initials.
  const [broken, setBroken] = useState(false);
  if (url && !broken) {
    // Decorative: the name is right next to it. No referrer leaks the page to the avatar host.
    return (
      <img
        class="confab-avatar"
        src={url}
        alt=""
        width={40}
        height={40}
        loading="lazy"
        referrerpolicy="no-referrer"
        part="avatar"
        onError={() => setBroken(true)}
      />
    );
  }
  return (
    <span class={`confab-avatar confab-avatar--${name.trim() ? colourIndex(name) : 'guest'}`} aria-hidden="true" part="avatar">
      {initials(name)}
    </span>
  );
}
