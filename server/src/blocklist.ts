// The site owner's blocklist (BLOCKLIST=path): one rule per line, a word or phrase, or a
// /regular expression/flags. A comment whose body matches is held for approval; a rule that
// starts with "!" refuses the comment instead (the reader keeps their text and is told why).
// Empty lines and lines starting with "#" are skipped. The file is read again when it changes.
//
//   casino              held: "casino" as a word, any case ("Casino!" yes, "casinos" no)
//   !buy followers      refused: the phrase, any case, any spacing
//   /\bv[i1]agra\b/i    held: a regular expression (flags after the last slash)
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from './logger.js';

export type BlocklistVerdict = 'hold' | 'refuse' | null;

export interface Blocklist {
  /** What the first matching rule says ("refuse" rules win over "hold" ones), or null. */
  check(body: string): BlocklistVerdict;
  /** How many rules it holds (for the log). */
  size: number;
}

interface Rule {
  refuse: boolean;
  pattern: RegExp;
}

const REGEX_LINE = /^\/(.+)\/([a-z]*)$/s;

/** The rules of a blocklist file's text, and the lines that could not be read (1-based, with why). */
export function parseBlocklist(text: string): { blocklist: Blocklist; problems: string[] } {
  const rules: Rule[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const refuse = line.startsWith('!');
    const source = refuse ? line.slice(1).trim() : line;
    if (source === '') return;
    const regex = REGEX_LINE.exec(source);
    try {
      rules.push({ refuse, pattern: regex ? new RegExp(regex[1]!, regex[2]!.replace(/[gy]/g, '')) : wordPattern(source) });
    } catch (error) {
      problems.push(`line ${index + 1}: ${(error as Error).message}`);
    }
  });
  // Refusing rules first: a body that matches both is refused, not merely held.
  rules.sort((a, b) => Number(b.refuse) - Number(a.refuse));
  return {
    blocklist: {
      size: rules.length,
      check(body) {
        const rule = rules.find((r) => r.pattern.test(body));
        return rule ? (rule.refuse ? 'refuse' : 'hold') : null;
      },
    },
    problems,
  };
}

/** A word or phrase as a whole word, any case, any whitespace between its words. */
function wordPattern(phrase: string): RegExp {
  const words = phrase.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'iu');
}

/**
 * The blocklist at `path`, read now (a missing or unreadable file fails the start: the site owner
 * asked for it) and again whenever the file changes; a file that later goes missing or breaks
 * keeps the last good rules, with a warning.
 */
export function watchBlocklist(path: string, logger: Logger, pollMs = 2_000) {
  function read(): Blocklist {
    const { blocklist, problems } = parseBlocklist(readFileSync(path, 'utf8'));
    for (const problem of problems) logger.warn({ path }, `blocklist ${problem}: the rule is skipped`);
    logger.info({ path, rules: blocklist.size }, 'blocklist read');
    return blocklist;
  }

  let current: Blocklist;
  try {
    current = read();
  } catch (error) {
    throw new Error(`BLOCKLIST: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  // Polling, not fs.watch: editors and deploy tools replace the file, which fs.watch loses.
  const onChange = () => {
    try {
      current = read();
    } catch {
      logger.warn({ path }, 'the blocklist file cannot be read; the last rules read stay in force');
    }
  };
  watchFile(path, { interval: pollMs, persistent: false }, onChange);
  return {
    check: (body: string) => current.check(body),
    close: () => unwatchFile(path, onChange),
  };
}

export type WatchedBlocklist = ReturnType<typeof watchBlocklist>;
