// Seeded, deterministic comment threads for the benchmark, in the Confab protocol's shape
// (docs/protocol.md): about 30% top level, replies nested up to depth 8, bodies of 1-4
// sentences, some with a paragraph break, a link or emphasis, each ending with its own token
// (`Zq<n>q`, what bench/probe.js looks for). Same seed and size: same thread.

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Bo',
  'Chen',
  'Dara',
  'Emil',
  'Farah',
  'Goran',
  'Hana',
  'Ivo',
  'Jun',
  'Kemal',
  'Lena',
  'Mateo',
  'Nia',
  'Oskar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Vik',
  'Wen',
  'Xavi',
  'Yara',
  'Zoe',
];
const LAST = [
  'Abara',
  'Berg',
  'Costa',
  'Dahl',
  'Eze',
  'Fischer',
  'Gray',
  'Haas',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lind',
  'Moreau',
  'Novak',
  'Okafor',
  'Park',
  'Quist',
  'Rossi',
  'Silva',
  'Tanaka',
];
const WORDS = (
  'the a this that article point source report claim evidence city road group town week year government ' +
  'people statement agreement question answer reason map river border forces coalition ministry media story ' +
  'analysis detail context history number picture version side deal passage area region change problem idea ' +
  'is was seems looks reads sounds remains stays makes takes gives shows means suggests explains misses ignores ' +
  'clearly probably really hardly simply quite rather very still already again never often maybe ' +
  'new old local official public likely strange obvious careful good bad wrong right early late small large ' +
  'about after before with without from into over under between against during'
).split(' ');

function sentence(random) {
  const length = 5 + Math.floor(random() * 14);
  const words = [];
  for (let i = 0; i < length; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
  const roll = random();
  if (roll < 0.04)
    words.splice(1 + Math.floor(random() * (length - 1)), 0, `https://example.org/notes/${Math.floor(random() * 1000)}`);
  else if (roll < 0.08) words[1] = `**${words[1]}**`;
  else if (roll < 0.11) words[2] = `*${words[2]}*`;
  const text = words.join(' ');
  return text[0].toUpperCase() + text.slice(1) + (random() < 0.15 ? '?' : '.');
}

function body(random) {
  const count = 1 + Math.floor(random() * 4); // 1-4 sentences
  const sentences = [];
  for (let i = 0; i < count; i++) sentences.push(sentence(random));
  if (count > 2 && random() < 0.3) return `${sentences.slice(0, 2).join(' ')}\n\n${sentences.slice(2).join(' ')}`;
  return sentences.join(' ');
}

export const MAX_DEPTH = 8;
const START = Date.UTC(2024, 0, 1);

/**
 * `size` comments, parents always before their replies, oldest first.
 * @returns {{ thread: object, comments: object[], depth: Map<string, number> }}
 */
export function generateThread(size, seed = 8) {
  const random = prng(seed * 1_000_003 + size);
  const comments = [];
  const depth = new Map();
  let time = START;
  for (let i = 0; i < size; i++) {
    const id = `c${i + 1}`;
    let parentId = null;
    if (i > 0 && random() >= 0.3) {
      // A reply: most often to one of the last few comments (conversations run deep), at most
      // depth 8; otherwise to any earlier comment.
      for (let attempt = 0; attempt < 8 && parentId === null; attempt++) {
        const back = random() < 0.75 ? Math.floor(random() * Math.min(i, 6)) : Math.floor(random() * i);
        const candidate = comments[i - 1 - back];
        if (depth.get(candidate.id) < MAX_DEPTH) parentId = candidate.id;
      }
    }
    depth.set(id, parentId === null ? 0 : depth.get(parentId) + 1);
    time += (1 + Math.floor(random() * 40)) * 60_000;
    const first = FIRST[Math.floor(random() * FIRST.length)];
    const last = LAST[Math.floor(random() * LAST.length)];
    comments.push({
      id,
      parentId,
      author: {
        name: `${first} ${last}`,
        url: random() < 0.15 ? `https://example.org/~${first.toLowerCase()}` : null,
        avatarUrl: null,
      },
      // The token lets the bench's probe find this comment's text without knowing any markup.
      body: `${body(random)} Zq${i + 1}q`,
      createdAt: new Date(time).toISOString(),
      editedAt: null,
      status: 'published',
      score: Math.floor(random() * random() * 25),
    });
  }
  return {
    thread: {
      id: `bench-${size}`,
      title: `Benchmark thread of ${size} comments`,
      url: `/bench-${size}`,
      commentCount: size,
      locked: false,
    },
    comments,
    depth,
  };
}

/** A summary, for the report: roots, depth histogram, average body length. */
export function describe({ comments, depth }) {
  const histogram = Array.from({ length: MAX_DEPTH + 1 }, () => 0);
  for (const d of depth.values()) histogram[d]++;
  const roots = histogram[0];
  const chars = comments.reduce((sum, c) => sum + c.body.length, 0);
  return {
    comments: comments.length,
    topLevel: roots,
    topLevelShare: +(roots / comments.length).toFixed(3),
    depthHistogram: histogram,
    averageBodyChars: Math.round(chars / comments.length),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  for (const size of [100, 1000, 10000]) console.log(size, JSON.stringify(describe(generateThread(size))));
}
