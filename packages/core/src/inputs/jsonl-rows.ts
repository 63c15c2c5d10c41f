/** One non-blank JSONL line: its 1-based number, the byte offset just past it, and its object or what is wrong. */
export type JsonlRecord =
  | { line: number; byteEnd: number; object: Record<string, unknown>; error?: undefined }
  | { line: number; byteEnd: number; object?: undefined; error: string };

/**
 * Batches of records, one per input chunk. Splits the bytes at "\n" (a UTF-8 multibyte character never contains that byte, so characters split between
 * chunks stay whole), decodes each line strictly and parses it. Blank lines are skipped but counted; "\r\n",
 * a BOM and a last line without "\n" are fine. A line longer than `maxRowBytes` is not kept in memory: it is
 * an error. `start` is where the chunks begin in the file (a line start), for resuming from a `byteEnd`.
 */
export async function* jsonlRecords(
  chunks: AsyncIterable<Uint8Array>,
  maxRowBytes: number,
  start: { byte: number; line: number } = { byte: 0, line: 1 },
): AsyncGenerator<JsonlRecord[]> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Buffer[] = [];
  let size = 0;
  let offset = start.byte;
  let line = start.line;
  const batch: JsonlRecord[] = [];

  const add = (piece: Buffer): void => {
    size += piece.length;
    if (size <= maxRowBytes) parts.push(piece);
    else parts = [];
  };
  const take = (): JsonlRecord | undefined => {
    const at = { line: line++, byteEnd: offset };
    const first = parts[0];
    const body = parts.length === 1 && first ? first : Buffer.concat(parts);
    const tooLong = size > maxRowBytes;
    parts = [];
    size = 0;
    if (tooLong) return { ...at, error: `the line is longer than ${maxRowBytes} bytes` };
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      return { ...at, error: "the line is not valid UTF-8" };
    }
    if (text.trim() === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return { ...at, error: `the line is not valid JSON (${(err as Error).message})` };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { ...at, error: "the line is not a JSON object" };
    }
    return { ...at, object: value as Record<string, unknown> };
  };

  for await (const chunk of chunks) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    for (let newline = buf.indexOf(10); newline !== -1; newline = buf.indexOf(10, pos)) {
      add(buf.subarray(pos, newline));
      offset += newline + 1 - pos;
      pos = newline + 1;
      const record = take();
      if (record) batch.push(record);
    }
    if (batch.length > 0) yield batch.splice(0);
    if (pos < buf.length) {
      add(Buffer.from(buf.subarray(pos))); // a copy: the producer may reuse its chunk
      offset += buf.length - pos;
    }
  }
  const record = size > 0 ? take() : undefined;
  if (record) yield [record];
}
