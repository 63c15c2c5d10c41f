import { createReadStream } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  InvalidRowsError,
  type ReadRowsOptions,
  type Row,
  type RowError,
  type RowFormat,
  readRows,
  rowFormatOf,
} from "../../../packages/core/src/inputs/rows.js";
import { hasShared, sharedData } from "../../support/shared.js";

const encoder = new TextEncoder();

async function* chunksOf(text: string | Uint8Array, size = 65_536): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

async function read(
  text: string | Uint8Array,
  format: RowFormat = "csv",
  options: ReadRowsOptions = {},
  size?: number,
): Promise<Array<Row | RowError>> {
  const out: Array<Row | RowError> = [];
  for await (const item of readRows(chunksOf(text, size), format, options)) out.push(item);
  return out;
}

/** [line, text or "!" + message]: compact for comparisons. */
const brief = (items: Array<Row | RowError>) =>
  items.map((item) => [item.line, item.kind === "row" ? item.fields.text : `! ${item.message}`]);

const errors = (items: Array<Row | RowError>) => items.filter((item) => item.kind === "error");

describe("rowFormatOf", () => {
  it("goes by the extension, any case", () => {
    expect(rowFormatOf("uploads/text/j/reviews.csv")).toBe("csv");
    expect(rowFormatOf("a.CSV")).toBe("csv");
    expect(rowFormatOf("a.jsonl")).toBe("jsonl");
    expect(rowFormatOf("a.NDJSON")).toBe("jsonl");
    expect(rowFormatOf("a.json")).toBeUndefined();
    expect(rowFormatOf("csv")).toBeUndefined();
    expect(rowFormatOf("a.csv.gz")).toBeUndefined();
  });
});

describe("readRows: CSV", () => {
  it("reads quoted multi-line fields, doubled quotes and commas in quotes, with start lines", async () => {
    const csv = 'id,text,title\n1,"line one\nline two",T1\n2,"She said ""hi"", then left",T2\n3,plain,T3\n';
    const rows = await read(csv);
    expect(rows).toEqual([
      { kind: "row", index: 0, line: 2, fields: { id: "1", text: "line one\nline two", title: "T1" } },
      { kind: "row", index: 1, line: 4, fields: { id: "2", text: 'She said "hi", then left', title: "T2" } },
      { kind: "row", index: 2, line: 5, fields: { id: "3", text: "plain", title: "T3" } },
    ]);
  });

  it("handles CRLF (also inside quotes), mixed line ends, blank lines, a BOM, spaced header names, no final newline", async () => {
    const csv = '\ufeff id , text \r\n1,"a\r\nb"\r\n\r\n2,c\n3,d\r\n4,"e"';
    expect(brief(await read(csv))).toEqual([
      [2, "a\r\nb"],
      [5, "c"],
      [6, "d"],
      [7, "e"],
    ]);
    expect((await read(csv)).map((row) => (row.kind === "row" ? row.fields.id : undefined))).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    expect(brief(await read("id,text\n1,x\r"))).toEqual([[2, "x"]]);
  });

  it("makes a row with too many or too few fields an error at its line, and goes on", async () => {
    const csv = 'id,text\n1,ok\n2,"multi\nline",extra\n3\n4,fine\n';
    const items = await read(csv);
    expect(brief(items)).toEqual([
      [2, "ok"],
      [3, "! expected 2 fields, found 3"],
      [5, "! expected 2 fields, found 1"],
      [6, "fine"],
    ]);
    expect(items.map((item) => item.index)).toEqual([0, 1, 2, 3]);
    expect(errors(items)[0]).toMatchObject({ kind: "error", code: "invalid_row", index: 1, line: 3 });
  });

  it("makes an empty required field and a field over maxFieldChars errors", async () => {
    const csv = `id,text\n1,\n2,   \n3,${"x".repeat(11)}\n4,ok\n`;
    expect(brief(await read(csv, "csv", { maxFieldChars: 10 }))).toEqual([
      [2, '! the required field "text" is missing or empty'],
      [3, '! the required field "text" is missing or empty'],
      [4, '! the field "text" is longer than 10 characters'],
      [5, "ok"],
    ]);
    expect(brief(await read("id,text,title\n1,a,\n", "csv", { required: ["text", "title"] }))).toEqual([
      [2, '! the required field "title" is missing or empty'],
    ]);
  });

  it("recovers after an unclosed quote: one error at the row's start line, then the next line", async () => {
    const csv = 'id,text\n1,x\n2,"never closed\n3,y\n4,z\n';
    expect(brief(await read(csv))).toEqual([
      [2, "x"],
      [3, "! a quoted field is never closed"],
      [4, "y"],
      [5, "z"],
    ]);
    expect(brief(await read('id,text\n1,x\n2,"never closed'))).toEqual([
      [2, "x"],
      [3, "! a quoted field is never closed"],
    ]);
  });

  it("bounds an unclosed quote by maxRowBytes instead of buffering the rest of the file", async () => {
    const csv = `id,text\n1,"open ${"a".repeat(500)}\n${"more,text\n".repeat(100)}9,last\n`;
    const items = await read(csv, "csv", { maxRowBytes: 200 }, 7);
    expect(items[0]).toMatchObject({ kind: "error", line: 2, index: 0 });
    expect((items[0] as RowError).message).toMatch(/larger than 200 bytes/);
    expect(items.slice(1).every((item) => item.kind === "row")).toBe(true);
    expect(items).toHaveLength(102);
    expect(items.at(-1)).toMatchObject({ line: 103, fields: { id: "9", text: "last" } });
  });

  it("makes a stray quote an error for its row only, or for the rows it runs over", async () => {
    expect(brief(await read('id,text\n1,"He said "hi" twice"\n2,ok\n3,5" screen\n4,ok\n'))).toEqual([
      [2, expect.stringMatching(/^! a closing quote is followed by/)],
      [3, "ok"],
      [4, expect.stringMatching(/^! a quote inside an unquoted field/)],
      [5, "ok"],
    ]);
    // An opening quote closed by the next row's quote: one error covering both rows.
    expect(brief(await read('id,text\n1,"a\n2,"b"\n3,"c"\n'))).toEqual([
      [2, expect.stringMatching(/\(lines 2 to 3\)$/)],
      [4, "c"],
    ]);
  });

  it("gives the same result whatever the chunk sizes", async () => {
    const csv = `\ufeffid,text\r\n1,"a\r\nb"\n2,"x""y"\n3,"bad"q\n4,é🎬\n5,"open\n6,${"z".repeat(300)}\n7,"ok"`;
    const whole = await read(csv, "csv", { maxRowBytes: 100 });
    expect(errors(whole).length).toBeGreaterThan(0);
    for (const size of [1, 2, 3, 5, 64, 101])
      expect(await read(csv, "csv", { maxRowBytes: 100 }, size)).toEqual(whole);
  });

  it("throws InvalidRowsError for a file without a usable header", async () => {
    const fails = (csv: string, options: ReadRowsOptions = {}) => expect(read(csv, "csv", options)).rejects;
    await fails("").toThrow(InvalidRowsError);
    await fails("id,text,id\n1,a,2\n").toThrow(/"id" appears twice/);
    await fails("id,,text\n1,a,2\n").toThrow(/column 2 has no name/);
    await fails("id, \n1,a\n").toThrow(/column 2 has no name/);
    await fails("id,title\n1,a\n").toThrow(/no "text" column \(nor review, content, body\)/);
    await fails("id,text\r1,a\r2,b\r").toThrow(/bare CR/);
    await fails('id,"text\n1,a\n').toThrow(/header \(line 1\): a quoted field is never closed/);
    await expect(read("id,text\n")).resolves.toEqual([]);
  });

  it("takes the text from an alias column (review, content, body, or one given)", async () => {
    expect(await read("id,Review\n1,good\n")).toEqual([
      { kind: "row", index: 0, line: 2, fields: { id: "1", text: "good" } },
    ]);
    expect(await read("id,text,review\n1,a,b\n")).toMatchObject([{ fields: { text: "a", review: "b" } }]);
    expect(await read("id,comment\n1,c\n", "csv", { aliases: { text: ["comment"] } })).toMatchObject([
      { fields: { text: "c" } },
    ]);
  });

  it("decodes UTF-8 split between chunks, fed one byte at a time", async () => {
    const csv = 'id,text\n1,"café ☕ 🎬 日本語"\n2,naïve\n';
    expect(brief(await read(csv, "csv", {}, 1))).toEqual([
      [2, "café ☕ 🎬 日本語"],
      [3, "naïve"],
    ]);
  });

  it("resumes with startAt: the same rows, indexes and lines as a full read", async () => {
    const csv = `id,text\n${Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? `${i},"multi\nline ${i}"` : i % 11 === 5 ? `${i}` : `${i},t${i}`)).join("\n")}\n`;
    const full = await read(csv);
    expect(full).toHaveLength(50);
    for (const startAt of [0, 1, 3, 4, 17, 49, 50, 80]) {
      expect(await read(csv, "csv", { startAt }, 13)).toEqual(full.slice(startAt));
    }
  });

  it.skipIf(!hasShared)("reads the IMDb sample file", async () => {
    const file = sharedData("reviews/imdb-4000.csv");
    const items: Array<Row | RowError> = [];
    for await (const item of readRows(createReadStream(file), "csv")) items.push(item);
    expect(items).toHaveLength(4000);
    expect(errors(items)).toEqual([]);
    const first = items[0] as Row;
    expect(first.fields.id).toBe("8356_10");
    expect(first.line).toBe(2);
    expect(first.fields.text).toMatch(/^Not sure if this counts as a spoiler/);
    expect(items.some((item) => item.kind === "row" && String(item.fields.text).includes("<br />"))).toBe(
      true,
    );
    expect(items.some((item) => item.kind === "row" && String(item.fields.text).includes('"'))).toBe(true);
    expect((items[3999] as Row).fields.id).toBe("5059_7");
  });

  it("streams a 200,000-row CSV lazily: only a chunk or so ahead of the consumer, heap bounded", async () => {
    const total = 200_000;
    const perChunk = 100;
    let produced = 0;
    async function* generate(): AsyncGenerator<Uint8Array> {
      yield encoder.encode("id,title,text\n");
      for (let start = 0; start < total; start += perChunk) {
        let text = "";
        for (let i = start; i < start + perChunk; i++) {
          text += `r${i},Title ${i},"Review ${i}: a ""quoted"" word, a comma, and some more words to pad it."\n`;
        }
        produced++;
        yield encoder.encode(text);
      }
    }
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    let count = 0;
    let maxAhead = 0;
    for await (const item of readRows(generate(), "csv")) {
      if (item.kind !== "row" || item.index !== count)
        throw new Error(`unexpected item ${JSON.stringify(item)}`);
      count++;
      maxAhead = Math.max(maxAhead, produced - Math.ceil(count / perChunk));
      if (count % 10_000 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(total);
    expect(maxAhead).toBeLessThanOrEqual(2);
    // ~20 MB of CSV in all; loose, as there is no forced GC here.
    expect(heapPeak - heapBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("stops pulling input when the consumer stops", async () => {
    let pulled = 0;
    let closed = 0;
    async function* generate(): AsyncGenerator<Uint8Array> {
      try {
        yield encoder.encode("id,text\n");
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield encoder.encode(`${i},t${i}\n`);
        }
      } finally {
        closed++;
      }
    }
    for await (const item of readRows(generate(), "csv")) if (item.index === 4) break;
    expect(pulled).toBeLessThanOrEqual(6);
    expect(closed).toBe(1);
    await expect(read("id,id\n")).rejects.toThrow(InvalidRowsError);
    const source = generate();
    await expect(readRows(source, "csv", { required: ["missing"] }).next()).rejects.toThrow(InvalidRowsError);
    expect(closed).toBe(2);
  });
});

describe("readRows: properties", () => {
  const piece = (...pieces: string[]) => fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 });

  it("reads any well-formed CSV back exactly, with its start lines, in any chunking", async () => {
    const field = piece("a", "é", "🎬", ",", '"', "\n", "\r\n", " ", "x").map((parts) => parts.join(""));
    const quote = (value: string) =>
      /[",\r\n]|^ | $/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(field, field, fc.boolean()), { maxLength: 15 }),
        fc.constantFrom("\n", "\r\n"),
        fc.integer({ min: 1, max: 9 }),
        async (rows, eol, size) => {
          let csv = `id,text${eol}`;
          let line = 2;
          const expected: unknown[] = [];
          for (const [id, text, blankBefore] of rows.filter(([, text]) => text.trim() !== "")) {
            if (blankBefore) [csv, line] = [csv + eol, line + 1];
            const record = `${quote(id)},${quote(text)}`;
            expected.push({ line, fields: { id, text } });
            csv += record + eol;
            line += record.split("\n").length;
          }
          const got = await read(csv, "csv", {}, size);
          expect(
            got.map((row) => ({ line: row.line, fields: row.kind === "row" ? row.fields : row })),
          ).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives the same items for any input whatever the chunking; lines never go back", async () => {
    const parts = piece("a", ",", '"', '""', "\n", "\r\n", "\r", "é", "🎬", " ", '{"text":"x"}', "{", "}");
    await fc.assert(
      fc.asyncProperty(
        fc.array(parts, { maxLength: 10 }).map((groups) => groups.flat().join("")),
        fc.constantFrom<RowFormat>("csv", "jsonl"),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 5, max: 40 }),
        async (body, format, size, maxRowBytes) => {
          const input = format === "csv" ? `id,text\n${body}` : body;
          const options = { required: [], maxRowBytes };
          const outcome = (chunkSize?: number) =>
            read(input, format, options, chunkSize).catch((err: unknown) => {
              if (err instanceof InvalidRowsError) return err.message;
              throw err;
            });
          const whole = await outcome();
          expect(await outcome(size)).toEqual(whole);
          if (typeof whole === "string") return;
          const lines = whole.map((item) => item.line);
          expect(lines).toEqual([...lines].sort((a, b) => a - b));
          expect(whole.map((item) => item.index)).toEqual(whole.map((_, i) => i));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("readRows: JSONL", () => {
  it("skips blank lines but counts them; CRLF, a BOM and no final newline are fine", async () => {
    // byteEnd: BOM 3 + 23 + CRLF 2 = 28; + 2 + 4 + 59 + 1 = 94; + 16 = 110.
    const jsonl =
      '\ufeff{"id":"a","text":"one"}\r\n\r\n   \n{"text":"two","title":"T","stars":5,"ok":true,"tags":["x"]}\n{"text":"three"}';
    expect(await read(jsonl, "jsonl")).toEqual([
      { kind: "row", index: 0, line: 1, fields: { id: "a", text: "one" }, byteEnd: 28 },
      {
        kind: "row",
        index: 1,
        line: 4,
        fields: { text: "two", title: "T", stars: 5, ok: true, tags: ["x"] },
        byteEnd: 94,
      },
      { kind: "row", index: 2, line: 5, fields: { text: "three" }, byteEnd: 110 },
    ]);
  });

  it("makes bad JSON, non-objects, missing or non-string fields errors, and goes on", async () => {
    const jsonl = [
      '{"text":"ok"}',
      '{"text": "unterminated',
      "[1,2]",
      '"just a string"',
      "null",
      '{"id":7}',
      '{"text":""}',
      '{"text":42}',
      '{"text":"t","title":{"a":1}}',
      '{"text":"x","id":12}',
      '{"review":"aliased"}',
    ].join("\n");
    const items = await read(jsonl, "jsonl");
    expect(items.map((item) => item.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(brief(items)).toEqual([
      [1, "ok"],
      [2, expect.stringMatching(/^! the line is not valid JSON/)],
      [3, "! the line is not a JSON object"],
      [4, "! the line is not a JSON object"],
      [5, "! the line is not a JSON object"],
      [6, '! the required field "text" is missing or empty'],
      [7, '! the required field "text" is missing or empty'],
      [8, '! the field "text" must be a string'],
      [9, '! the field "title" must be a string'],
      [10, "x"],
      [11, "aliased"],
    ]);
    expect((items[9] as Row).fields.id).toBe("12");
  });

  it("makes a line over maxRowBytes or with invalid UTF-8 an error without keeping it", async () => {
    const long = `{"text":"${"a".repeat(1000)}"}`;
    const bytes = new Uint8Array([
      ...encoder.encode('{"text":"'),
      0xff,
      ...encoder.encode('"}\n{"text":"b"}\n'),
    ]);
    expect(brief(await read(`${long}\n{"text":"ok"}\n${long}`, "jsonl", { maxRowBytes: 100 }, 9))).toEqual([
      [1, "! the line is longer than 100 bytes"],
      [2, "ok"],
      [3, "! the line is longer than 100 bytes"],
    ]);
    expect(brief(await read(bytes, "jsonl"))).toEqual([
      [1, "! the line is not valid UTF-8"],
      [2, "b"],
    ]);
  });

  it("decodes UTF-8 split between chunks, fed one byte at a time", async () => {
    const jsonl = '{"text":"café ☕ 🎬 日本語"}\n\n{"text":"naïve","id":3}\n';
    expect(await read(jsonl, "jsonl", {}, 1)).toEqual(await read(jsonl, "jsonl"));
    expect(brief(await read(jsonl, "jsonl", {}, 1))).toEqual([
      [1, "café ☕ 🎬 日本語"],
      [3, "naïve"],
    ]);
  });

  it("resumes with startAt, or from a row's byteEnd without re-reading", async () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      i % 4 === 0 ? "" : i % 9 === 0 ? "{bad" : `{"text":"t${i}é"}`,
    );
    const jsonl = `${lines.join("\n")}\n`;
    const full = await read(jsonl, "jsonl");
    const bytes = encoder.encode(jsonl);
    for (const k of [0, 5, 12, full.length - 1]) {
      expect(await read(jsonl, "jsonl", { startAt: k + 1 }, 7)).toEqual(full.slice(k + 1));
      const at = full[k] as Row | RowError;
      const resume = { byte: at.byteEnd ?? 0, line: at.line + 1, index: at.index + 1 };
      expect(await read(bytes.subarray(resume.byte), "jsonl", { resume }, 5)).toEqual(full.slice(k + 1));
    }
  });

  it("refuses resume for CSV", async () => {
    await expect(read("id,text\n1,a\n", "csv", { resume: { byte: 0, line: 1, index: 0 } })).rejects.toThrow(
      InvalidRowsError,
    );
  });
});
