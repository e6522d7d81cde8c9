// A Disqus XML export of any size, for the import benches: threads first (as Disqus writes them),
// then posts, about a fifth of them replies, HTML messages of a few shapes (paragraphs, links,
// quotes, entities), a few spam and deleted. Written as a stream: memory stays flat at any size.
// The same arguments give the same file (a fixed pseudo-random sequence).
//
//   node server/bench/disqus-export.mjs --comments 1000000 --out /tmp/disqus.xml [--threads 20000]
//   node server/bench/disqus-export.mjs --read /tmp/disqus.xml   # the reader's speed and memory
//                                                                # (server/dist: npm run build -w confab-server)
//   import { writeDisqusExport } from './disqus-export.mjs';
//   await writeDisqusExport({ comments: 10_000, threads: 200, out: '/tmp/small.xml' });
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const FORUM = 'confab-bench';
const START = Date.UTC(2012, 0, 1);
const FLUSH_AT = 1 << 20;

const WORDS = (
  'the a comment post article great point agree disagree think really thanks for sharing this is ' +
  'interesting but I would say that more data needed see also why not however good question answer ' +
  'read again later code example works fine on my machine version update release'
).split(' ');
const NAMES = ['Ann Example', 'Bob', 'Chloé Martin', 'Dmitri', 'Eve & Co', 'Fatima', 'Guest', 'Hiroshi', 'Ines', 'Jon'];

/** A small fast deterministic generator (mulberry32), so runs compare. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function sentence(next, words) {
  let text = '';
  for (let i = 0; i < words; i++) text += (i ? ' ' : '') + WORDS[Math.floor(next() * WORDS.length)];
  return text[0].toUpperCase() + text.slice(1) + '.';
}

/** One message's HTML, in one of the shapes Disqus gives. */
function message(next) {
  const shape = next();
  const a = sentence(next, 6 + Math.floor(next() * 12));
  if (shape < 0.5) return `<p>${a}</p>`;
  const b = sentence(next, 4 + Math.floor(next() * 10));
  if (shape < 0.7) return `<p>${a}</p><p>${b} <b>${sentence(next, 2)}</b></p>`;
  if (shape < 0.8)
    return `<p>${a} <a href="https://example.com/page/${Math.floor(next() * 1000)}" rel="nofollow noopener">link</a></p>`;
  if (shape < 0.9) return `<blockquote>${b}</blockquote><p>${a}</p>`;
  return `<p>${a}<br>Tom &amp; Jerry &gt; <i>${b}</i> &#8212; ok</p>`;
}

function threadXml(index, createdAt) {
  return `<thread dsq:id="${1_000_000 + index}">
<id>${index % 7 === 0 ? '' : `post-${index}`}</id>
<forum>${FORUM}</forum>
<category dsq:id="1" />
<link>https://blog.example.com/${2012 + (index % 10)}/post-${index}/</link>
<title>Post number ${index}</title>
<message />
<createdAt>${iso(createdAt)}</createdAt>
<author><name>Site Owner</name><isAnonymous>false</isAnonymous><username>owner</username></author>
<isClosed>${index % 50 === 0}</isClosed>
<isDeleted>false</isDeleted>
</thread>
`;
}

function postXml(id, { thread, parent, createdAt, name, html, deleted, spam }) {
  return `<post dsq:id="${id}">
<id />
<message><![CDATA[${html}]]></message>
<createdAt>${iso(createdAt)}</createdAt>
<isDeleted>${deleted}</isDeleted>
<isSpam>${spam}</isSpam>
<author><name>${escapeXml(name)}</name><email>${name.split(' ')[0].toLowerCase().replace(/\W/g, '')}@example.com</email><isAnonymous>${name === 'Guest'}</isAnonymous>${name === 'Guest' ? '' : `<username>${name.split(' ')[0].toLowerCase().replace(/\W/g, '')}</username>`}</author>
<thread dsq:id="${1_000_000 + thread}" />
${parent ? `<parent dsq:id="${parent}" />\n` : ''}</post>
`;
}

/**
 * Writes a Disqus export of `comments` posts over `threads` threads (by default one thread per
 * fifty posts) to `out`; resolves with the byte count once the file is complete.
 */
export async function writeDisqusExport({ comments, threads = Math.max(1, Math.ceil(comments / 50)), out, seed = 17 }) {
  const next = random(seed);
  const file = createWriteStream(out);
  let buffer = '';
  let bytes = 0;
  const flush = async () => {
    bytes += Buffer.byteLength(buffer);
    if (!file.write(buffer)) await once(file, 'drain');
    buffer = '';
  };

  buffer += `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd http://disqus.com/api/schemas/1.0/disqus-internals.xsd">
<category dsq:id="1">
<forum>${FORUM}</forum>
<title>General</title>
<isDefault>true</isDefault>
</category>
`;
  const span = 10 * 365 * 24 * 3600_000;
  for (let i = 0; i < threads; i++) {
    buffer += threadXml(i, START + Math.floor((i / threads) * span));
    if (buffer.length > FLUSH_AT) await flush();
  }
  // The last post of each thread: a reply answers it (a conversation, not a random old post).
  const lastPost = new Float64Array(threads);
  for (let i = 0; i < comments; i++) {
    const thread = Math.floor(next() * threads);
    const id = 2_000_000_000 + i;
    const reply = lastPost[thread] !== 0 && next() < 0.2;
    const roll = next();
    buffer += postXml(id, {
      thread,
      parent: reply ? lastPost[thread] : 0,
      createdAt: START + Math.floor((i / comments) * span) + 60_000,
      name: NAMES[Math.floor(next() * NAMES.length)],
      html: message(next),
      deleted: roll < 0.01,
      spam: roll > 0.995,
    });
    lastPost[thread] = id;
    if (buffer.length > FLUSH_AT) await flush();
  }
  buffer += '</disqus>\n';
  await flush();
  file.end();
  await once(file, 'finish');
  return bytes;
}

/** Reads a Disqus export with the built reader: records per second, CPU time, peak memory. */
export async function readDisqusExport(path) {
  const { readDisqus } = await import('../dist/import/readers/disqus.js');
  const started = performance.now();
  const counts = { thread: 0, comment: 0, note: 0 };
  for await (const record of readDisqus(path, {})) counts[record.kind]++;
  const seconds = (performance.now() - started) / 1000;
  const records = counts.thread + counts.comment + counts.note;
  const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage();
  return {
    ...counts,
    seconds: +seconds.toFixed(2),
    recordsPerSecond: Math.round(records / seconds),
    cpuSeconds: +((userCPUTime + systemCPUTime) / 1e6).toFixed(2),
    peakRssMB: Math.round(maxRSS / 1024),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = {
    comments: { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string' },
    read: { type: 'string' },
  };
  const { values } = parseArgs({ options });
  if (values.read) {
    console.log(JSON.stringify(await readDisqusExport(values.read)));
  } else if (values.comments && values.out) {
    const started = performance.now();
    const comments = Number(values.comments);
    const threads = values.threads ? Number(values.threads) : undefined;
    const bytes = await writeDisqusExport({ comments, threads, out: values.out });
    const seconds = (performance.now() - started) / 1000;
    console.log(`${values.out}: ${comments} comments, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  } else {
    console.error('usage: node server/bench/disqus-export.mjs --comments N --out FILE [--threads N] | --read FILE');
    process.exit(2);
  }
}
