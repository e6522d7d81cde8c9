// An XML export read as a stream with saxes: the file goes through in chunks, the handler turns
// elements into records as they close, and the records of each chunk are yielded before the next
// chunk is read, so memory holds one chunk's worth whatever the file's size. Namespaces are not
// resolved by saxes (slower by half): the handlers look up the prefixes on the root element.
import { SaxesParser } from 'saxes';
import { ImportFormatError, type ImportRecord } from '../records.js';
import { capitalized, expectFormat, gzipError, notA, textChunks, type SourceFormat } from './source-file.js';

export interface XmlHandler {
  /** `depth` is 1 for the root element; `line` is where the element starts. */
  open(name: string, attributes: Record<string, string>, depth: number, line: number): void;
  close(name: string, depth: number): void;
  text(text: string): void;
  /** The records made since the last call. */
  take(): ImportRecord[];
  /** Once the document has ended: the records still held back. */
  finish(): ImportRecord[];
}

export async function* streamXml(path: string, format: SourceFormat, handler: XmlHandler): AsyncGenerator<ImportRecord> {
  const parser = new SaxesParser({ position: true });
  let depth = 0;
  const open: string[] = [];
  parser.on('opentag', (tag) => {
    open.push(tag.name);
    handler.open(tag.name, tag.attributes as Record<string, string>, ++depth, parser.line);
  });
  parser.on('closetag', (tag) => {
    open.pop();
    handler.close(tag.name, depth--);
  });
  const text = handler.text.bind(handler);
  parser.on('text', text);
  parser.on('cdata', text);

  const where = () => `line ${parser.line}, column ${parser.column}`;
  let started = false;
  try {
    for await (const chunk of textChunks(path)) {
      if (!started) expectFormat(format, chunk, 'xml');
      started = true;
      parser.write(chunk);
      yield* handler.take();
    }
  } catch (error) {
    throw xmlError(error, format, where());
  }
  if (!started) throw notA(format, 'the file is empty');
  if (open.length > 0) {
    throw new ImportFormatError(`${capitalized(format)}: the file ends inside <${open.at(-1)}> (truncated?)`, where());
  }
  try {
    parser.close();
  } catch (error) {
    throw xmlError(error, format, where());
  }
  yield* handler.take();
  yield* handler.finish();
}

function xmlError(error: unknown, format: SourceFormat, where: string): unknown {
  if (error instanceof ImportFormatError) return error;
  const gzip = gzipError(error, format, where);
  if (gzip) return gzip;
  // saxes says "line:column: message"
  const match = /^(\d+):(\d+): ([\s\S]*)$/.exec((error as Error).message ?? '');
  if (!match) return error;
  const [, line, column, message] = match;
  return new ImportFormatError(`${capitalized(format)}: the XML is malformed (${message})`, `line ${line}, column ${column}`);
}
