// @vitest-environment node
// The layer rules of eslint.config.js fail on a violation: each case lints a small source as if
// it were a file at that path in src/, with the project's own config.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (eslint.config.js)', () => {
  it.each([
    [
      'ui never imports api',
      'src/ui/Bad.tsx',
      `import { httpAdapter } from '../api/http-adapter';\nexport const a = httpAdapter;\n`,
      /ui\/ never imports api\//,
    ],
    [
      'ui never imports adapters',
      'src/ui/Bad.tsx',
      `import { remark42 } from '../adapters/remark42';\nexport const a = remark42;\n`,
      /ui\/ never imports adapters\//,
    ],
    [
      'format never imports api',
      'src/format/bad.ts',
      `import { validateThread } from '../api/validate';\nexport const a = validateThread;\n`,
      /format\/ never imports api\//,
    ],
    [
      'format never imports api, type imports too',
      'src/format/bad.ts',
      `import type { Thing } from '../api/validate';\nexport type A = Thing;\n`,
      /format\/ never imports api\//,
    ],
    [
      'store never imports @preact/signals',
      'src/store/bad.ts',
      `import { signal } from '@preact/signals';\nexport const s = signal(0);\n`,
      /store\/ runs without Preact: use @preact\/signals-core/,
    ],
    [
      'store never imports preact',
      'src/store/bad.ts',
      `import { h } from 'preact';\nexport const a = h;\n`,
      /store\/ never imports preact/,
    ],
    [
      'store never imports preact/hooks',
      'src/store/bad.ts',
      `import { useState } from 'preact/hooks';\nexport const a = useState;\n`,
      /store\/ never imports preact/,
    ],
    [
      'util imports nothing from src (a folder)',
      'src/util/bad.ts',
      `import { ThreadStore } from '../store/thread-store';\nexport const a = ThreadStore;\n`,
      /util\/ is the leaf layer/,
    ],
    [
      'util imports nothing from src (a top-level file)',
      'src/util/bad.ts',
      `import { ConfabError } from '../errors';\nexport const a = ConfabError;\n`,
      /util\/ is the leaf layer/,
    ],
    [
      'no internals across folders (ui -> store/tree)',
      'src/ui/Bad.tsx',
      `import { buildTree } from '../store/tree';\nexport const a = buildTree;\n`,
      /Import only store\/'s public modules/,
    ],
    [
      'no internals across folders (top level -> ui/comment-events)',
      'src/bad.ts',
      `import { handleCommentEvent } from './ui/comment-events';\nexport const a = handleCommentEvent;\n`,
      /Import only ui\/'s public modules/,
    ],
    [
      'no internals across folders, re-exports too',
      'src/index.ts',
      `export { buildTree } from './store/tree';\n`,
      /Import only store\/'s public modules/,
    ],
  ])('%s', async (_name, filePath, source, message) => {
    const messages = await restrictedImports(filePath, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it('passes the imports the layers allow', async () => {
    const ok = [
      [
        'src/ui/Good.tsx',
        `import { useState } from 'preact/hooks';\nimport type { ThreadStore } from '../store/thread-store';\nimport { formatBody } from '../format/format-body';\nimport { isObject } from '../util/values';\nimport type { Comment } from '../types';\nimport { Thing } from './context';\nexport const a = [useState, formatBody, isObject, Thing];\nexport type B = [ThreadStore, Comment];\n`,
      ],
      [
        'src/store/good.ts',
        `import { signal } from '@preact/signals-core';\nimport { buildTree } from './tree';\nimport type { GuardedAdapter } from '../api/guard-adapter';\nexport const a = [signal, buildTree];\nexport type B = GuardedAdapter;\n`,
      ],
      ['src/util/good.ts', `import { isObject } from './values';\nexport const a = isObject;\n`],
      [
        'src/mount.tsx',
        `import { render } from 'preact';\nimport { Thread } from './ui/Thread';\nimport { ThreadStore } from './store/thread-store';\nimport { httpAdapter } from './api/http-adapter';\nexport const a = [render, Thread, ThreadStore, httpAdapter];\n`,
      ],
      [
        'src/adapters/good.ts',
        `import { serverClient } from './server-client';\nimport { sanitizeHtml } from '../format/sanitize-html';\nexport const a = [serverClient, sanitizeHtml];\n`,
      ],
    ] as const;
    for (const [filePath, source] of ok) expect(await restrictedImports(filePath, source), filePath).toEqual([]);
  });

  it('finds no layer violation in the real src/', async () => {
    const results = await eslint.lintFiles(['src']);
    const found = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => `${r.filePath.slice(root.length).replaceAll('\\', '/')}: ${m.message.split(' import is restricted')[0]}`),
    );
    expect(found).toEqual([]);
  });
});
