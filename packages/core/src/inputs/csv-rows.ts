import { type CsvError, type Parser, parse } from "csv-parse";

/** One CSV record (header included) and the 1-based line where it starts, or input that could not be parsed. */
export type CsvRecord =
  | { line: number; values: string[]; error?: undefined }
  | { line: number; values?: undefined; error: string };

/** Size checks run each time the input passes a multiple of this offset, so results never depend on chunking. */
const STEP = 64 * 1024;

const UNCLOSED = "a quoted field is never closed";
const MESSAGES: Partial<Record<string, string>> = {
  CSV_INVALID_CLOSING_QUOTE:
    'a closing quote is followed by something other than a comma or a line end (inside a quoted field write a quote as "")',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field (quote the field and write the quote as "")',
  CSV_QUOTE_NOT_CLOSED: UNCLOSED,
};

const messageOf = (err: CsvError): string => MESSAGES[err.code] ?? err.message;

/** The input since the last parsed record, by absolute byte offset: counts lines and keeps bytes to re-read. */
class ByteWindow {
  private chunks: Buffer[] = [];
  private start = 0;
  end = 0;
  private cursor = 0;
  private line = 1;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.end += chunk.length;
  }

  /** Visits the stored chunks from offset `from` on (`at`: index in the chunk) until `visit` returns a result. */
  private scan(from: number, visit: (chunk: Buffer, at: number, offset: number) => number): number {
    let offset = this.start;
    for (const chunk of this.chunks) {
      if (offset + chunk.length > from) {
        const found = visit(chunk, Math.max(from - offset, 0), offset);
        if (found !== -1) return found;
      }
      offset += chunk.length;
    }
    return -1;
  }

  /** Offset of the first "\n" at or after `from`, or -1. */
  newline(from: number): number {
    return this.scan(from, (chunk, at, offset) => {
      const found = chunk.indexOf(10, at);
      return found === -1 ? -1 : offset + found;
    });
  }

  /** Offset of the first byte at or after `from` that is not a line break (blank lines are skipped). */
  content(from: number): number {
    const found = this.scan(from, (chunk, at, offset) => {
      for (let i = at; i < chunk.length; i++) if (chunk[i] !== 10 && chunk[i] !== 13) return offset + i;
      return -1;
    });
    return found === -1 ? this.end : found;
  }

  byteAt(offset: number): number | undefined {
    return this.scan(offset, (chunk, at) => chunk[at] ?? -1);
  }

  /** The 1-based line of the byte at `offset`; offsets never go back. */
  lineAt(offset: number): number {
    for (let at = this.newline(this.cursor); at !== -1 && at < offset; at = this.newline(at + 1)) this.line++;
    this.cursor = Math.max(this.cursor, offset);
    return this.line;
  }

  /** Forgets the bytes before `offset` (and before the line count's position). */
  release(offset: number): void {
    const keep = Math.min(offset, this.cursor);
    for (let first = this.chunks[0]; first && this.start + first.length <= keep; first = this.chunks[0]) {
      this.start += first.length;
      this.chunks.shift();
    }
  }

  from(offset: number): Buffer[] {
    const out: Buffer[] = [];
    this.scan(offset, (chunk, at) => {
      out.push(chunk.subarray(at));
      return -1;
    });
    return out;
  }
}

const newlines = (values: string[]): number => {
  let count = 0;
  for (const value of values)
    for (let i = value.indexOf("\n"); i !== -1; i = value.indexOf("\n", i + 1)) count++;
  return count;
};

/**
 * The records of a CSV, in batches (one per input chunk). csv-parse tokenises: RFC 4180, `""` escapes, CRLF
 * or LF (mixed), BOM. Lines are counted here from byte offsets (csv-parse's `info.lines` counts a CRLF inside
 * quotes twice). Records csv-parse skips for a quote error (`skip_records_with_error`) become one error at the
 * line where the first starts. An unclosed quote (a field still open at the end of the input, or longer than
 * `maxRowBytes`) becomes an error at the line where its record starts, and parsing restarts on the next line.
 * Memory: about 2 × maxRowBytes plus a chunk.
 */
export async function* csvRecords(
  chunks: AsyncIterable<Uint8Array>,
  maxRowBytes: number,
): AsyncGenerator<CsvRecord[]> {
  const win = new ByteWindow();
  const out: CsvRecord[] = [];
  const step = Math.max(1, Math.min(STEP, maxRowBytes));
  let base = 0; // offset where the current parser's input starts
  let fed = 0; // offset past the bytes written to the parser
  let lastEnd = 0; // offset past the last record csv-parse delivered
  let skipped: CsvError | undefined; // the first error csv-parse skipped since lastEnd
  let unclosed = false; // the last one is a quote open at the end of the input
  let seeking = -1; // after an unclosed quote: restart after the first "\n" from here
  let ending = false;

  const onRecord = (values: string[], end: number): void => {
    const from = skipped ? win.lineAt(win.content(lastEnd)) : 0;
    const line = win.lineAt(end - 1) - newlines(values);
    if (skipped && from < line) {
      const lines = from < line - 1 ? ` (lines ${from} to ${line - 1})` : "";
      out.push({ line: from, error: `${messageOf(skipped)}${lines}` });
    }
    skipped = undefined;
    const last = values.length - 1;
    if (ending && win.byteAt(end - 1) === 13) values[last] = values[last]?.slice(0, -1) ?? "";
    out.push({ line, values });
    lastEnd = end;
  };
  const open = (): Parser => {
    const start = base;
    const p = parse({
      bom: start === 0,
      record_delimiter: ["\r\n", "\n"],
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: 0,
      on_skip: (err) => {
        if (err) skipped ??= err;
        unclosed = err?.code === "CSV_QUOTE_NOT_CLOSED";
      },
      on_record: (values: string[], context) => {
        onRecord(values, start + context.bytes);
        return null;
      },
    });
    p.on("error", () => {}); // also reported to write and end
    return p;
  };
  let parser = open();
  const restart = (message: string): void => {
    const start = win.content(lastEnd);
    out.push({ line: win.lineAt(start), error: message });
    parser.destroy();
    skipped = undefined;
    unclosed = false;
    seeking = start;
  };
  const check = (): void => {
    const boundary = base + parser.info.bytes; // the last field or record end
    if (fed - boundary > maxRowBytes || (!skipped && fed - lastEnd > maxRowBytes)) {
      restart(`a row (or a quoted field that is never closed) is larger than ${maxRowBytes} bytes`);
    } else if (skipped && fed - lastEnd > maxRowBytes && boundary > lastEnd) {
      // Many skipped records in a row: report those before the boundary, at a record start if it is one.
      if (win.byteAt(boundary - 1) !== 10 && fed - lastEnd <= 2 * maxRowBytes) return;
      out.push({ line: win.lineAt(win.content(lastEnd)), error: messageOf(skipped) });
      lastEnd = boundary; // `skipped` stays: the record after the boundary may be a bad one too
    }
  };
  const feed = async (buf: Buffer): Promise<void> => {
    for (let pos = 0; pos < buf.length && seeking === -1; ) {
      const piece = buf.subarray(pos, pos + step - (fed % step));
      await new Promise<void>((resolve, reject) =>
        parser.write(piece, (err) => (err ? reject(err) : resolve())),
      );
      pos += piece.length;
      fed += piece.length;
      if (fed % step === 0) check();
    }
  };

  /** At the end of the input: ends the parser; true if reading goes on (an unclosed quote restarts it). */
  const finish = async (): Promise<boolean> => {
    ending = true;
    await new Promise<void>((resolve, reject) => {
      parser.once("error", reject);
      parser.once("finish", resolve);
      parser.end();
    });
    ending = false;
    if (skipped && unclosed) restart(UNCLOSED);
    else if (skipped) out.push({ line: win.lineAt(win.content(lastEnd)), error: messageOf(skipped) });
    return seeking !== -1;
  };

  const source = chunks[Symbol.asyncIterator]();
  let replay: Buffer[] = [];
  let done = false;
  try {
    for (;;) {
      if (seeking !== -1) {
        const newline = win.newline(seeking);
        if (newline !== -1) {
          base = fed = lastEnd = newline + 1;
          parser = open();
          replay = win.from(base);
          seeking = -1;
        } else if (done) break;
        else {
          win.lineAt(win.end); // no line break since the row's start: nothing to keep
          seeking = win.end;
        }
      }
      const next = replay.shift();
      if (next) await feed(next);
      else if (done) {
        if (!(await finish())) break;
      } else {
        const item = await source.next();
        if (item.done) done = true;
        else {
          const buf = Buffer.from(item.value.buffer, item.value.byteOffset, item.value.byteLength);
          win.push(buf);
          if (seeking === -1) await feed(buf);
        }
      }
      if (out.length > 0) yield out.splice(0);
      win.release(seeking === -1 ? lastEnd : seeking);
    }
    if (out.length > 0) yield out.splice(0);
  } finally {
    parser.destroy();
    if (!done) await source.return?.();
  }
}
