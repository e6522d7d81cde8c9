// Updates our own "## " sections of docs/benchmarks.md and leaves every other section (another
// part of the project writes "Reference server" there) exactly as it is. A section runs from its
// "## Heading" line to the next "## " line outside a code fence. Missing sections are appended.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const BENCHMARKS_MD = new URL('../docs/benchmarks.md', import.meta.url);

function split(markdown) {
  const parts = [{ heading: null, lines: [] }];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && /^## /.test(line)) parts.push({ heading: line.slice(3).trim(), lines: [line] });
    else parts[parts.length - 1].lines.push(line);
  }
  return parts;
}

/** @param {Record<string, string>} sections heading → body (without the heading line) */
export function updateSections(sections, file = BENCHMARKS_MD) {
  const original = existsSync(file)
    ? readFileSync(file, 'utf8')
    : "# Benchmarks\n\nMeasured on this project's CI-like machine; every figure comes from a command named in its section.\n";
  const parts = split(original);
  const done = new Set();
  for (const part of parts) {
    if (part.heading !== null && part.heading in sections) {
      const body = sections[part.heading].replace(/\s+$/, '');
      part.lines = [`## ${part.heading}`, '', body, ''];
      done.add(part.heading);
    }
  }
  let text =
    parts
      .map((p) => p.lines.join('\n'))
      .join('\n')
      .replace(/\s+$/, '') + '\n';
  for (const [heading, body] of Object.entries(sections)) {
    if (!done.has(heading)) text += `\n## ${heading}\n\n${body.replace(/\s+$/, '')}\n`;
  }
  writeFileSync(file, text);
}
