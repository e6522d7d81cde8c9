// A reader run in a worker thread: reading the file (XML or JSON parsing, HTML to text) and
// writing the batches (PGlite itself runs in the main thread) then use two cores, and the main
// thread answers the database at once instead of after a chunk of parsing. Records come over in
// chunks, a bounded number of them ahead, so memory stays flat at any file size.
//
//   for await (const record of readInWorker('disqus', 'export.xml', {})) …   // as readerFor('disqus')(…)
//
// The worker runs this same module (with the parent's execArgv, so its loader hooks too).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { readerFor } from './formats.js';
import { ImportFormatError, type ImportFormat, type ImportRecord, type ReaderOptions } from './records.js';

/** Records per message: enough that a message costs little, few enough to start writing early. */
const CHUNK = 500;
/** Chunks the worker may read ahead of the writer. */
const AHEAD = 8;

type FromWorker =
  | { kind: 'records'; records: ImportRecord[] }
  | { kind: 'done' }
  | { kind: 'error'; message: string; position?: string; formatError: boolean; code?: string };
type Job = { confabImportReader: true; format: ImportFormat; file: string; options: ReaderOptions };

/** Yields what `readerFor(format)(file, options)` yields, read in a worker thread; throws what it throws. */
export async function* readInWorker(format: ImportFormat, file: string, options: ReaderOptions): AsyncGenerator<ImportRecord> {
  const job: Job = { confabImportReader: true, format, file, options };
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const inbox: FromWorker[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const woken = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: FromWorker) => {
    inbox.push(message);
    woken();
  });
  worker.on('error', (error) => {
    failure ??= error;
    woken();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`The reader's thread stopped (exit code ${code})`);
    woken();
  });
  try {
    for (;;) {
      while (inbox.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift();
      if (!message) throw failure!;
      if (message.kind === 'done') return;
      if (message.kind === 'error') {
        if (message.formatError) {
          const suffix = message.position ? ` (at ${message.position})` : '';
          throw new ImportFormatError(message.message.slice(0, message.message.length - suffix.length), message.position);
        }
        throw Object.assign(new Error(message.message), message.code ? { code: message.code } : {});
      }
      // One chunk taken: the worker may read one more.
      worker.postMessage('more');
      yield* message.records;
    }
  } finally {
    await worker.terminate();
  }
}

/** In the worker: reads, and posts chunks as long as the main thread has room for them. */
async function runJob(job: Job) {
  const port = parentPort!;
  let room = AHEAD;
  let resume: (() => void) | undefined;
  port.on('message', () => {
    room += 1;
    resume?.();
    resume = undefined;
  });
  let chunk: ImportRecord[] = [];
  const send = async () => {
    if (chunk.length === 0) return;
    while (room === 0) await new Promise<void>((resolve) => (resume = resolve));
    room -= 1;
    port.postMessage({ kind: 'records', records: chunk } satisfies FromWorker);
    chunk = [];
  };
  try {
    for await (const record of readerFor(job.format)!(job.file, job.options)) {
      chunk.push(record);
      if (chunk.length >= CHUNK) await send();
    }
    await send();
    port.postMessage({ kind: 'done' } satisfies FromWorker);
  } catch (error) {
    // What was read before the error is written first, as when the reader runs in the main thread.
    await send();
    const { message, code } = error as Error & { code?: string };
    const position = error instanceof ImportFormatError ? error.position : undefined;
    port.postMessage({
      kind: 'error',
      message,
      position,
      formatError: error instanceof ImportFormatError,
      code,
    } satisfies FromWorker);
  }
  port.close();
}

if (!isMainThread && (workerData as Job | undefined)?.confabImportReader) await runJob(workerData as Job);
