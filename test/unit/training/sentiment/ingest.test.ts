import { describe, expect, it } from "vitest";
import type { ProblemSummary } from "../../../../packages/core/src/training/ratings/ingest/problems.js";
import { decodeText, ingestLabelled } from "../../../../packages/core/src/training/sentiment/ingest.js";

const file = (name: string, body: string | Uint8Array) => ({
  name,
  bytes: typeof body === "string" ? new TextEncoder().encode(body) : body,
});
const kinds = (problems: ProblemSummary[]) => problems.map((p) => `${p.severity}:${p.kind}`);

describe("labelled data sets as uploaded", () => {
  it("reads CSV with aliases and .pos/.neg line files (Windows-1252 bytes decoded) into polarity classes", async () => {
    const neg = Uint8Array.from([
      ...new TextEncoder().encode("a clich"),
      0xe9,
      0x0a,
      0x0a,
      ...new TextEncoder().encode("dull\n"),
    ]);
    const { dataset, log, ignored } = await ingestLabelled([
      file("imdb.csv", 'id,sentiment,review\n1,1,"Great, truly great."\n2,0,Awful.\n'),
      file("rt.pos", "moving and funny\n"),
      file("rt.neg", neg),
      file("README.txt", "not data"),
    ]);
    expect(log.summaries()).toEqual([]);
    expect(ignored).toEqual(["README.txt"]);
    expect(dataset?.labels).toEqual(["positive", "negative"]);
    expect(dataset?.examples.map((e) => [e.text, e.label, e.source, e.line])).toEqual([
      ["Great, truly great.", 0, "imdb.csv", 2],
      ["Awful.", 1, "imdb.csv", 3],
      ["moving and funny", 0, "rt", 1],
      ["a cliché", 1, "rt", 1],
      ["dull", 1, "rt", 3],
    ]);
    expect(dataset?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(decodeText(new TextEncoder().encode("café"))).toBe("café");
  });

  it("counts a repeated text once as a warning and fails a text labelled both ways, with its lines", async () => {
    const repeated = await ingestLabelled([
      file(
        "a.csv",
        "text,label\nfine film,pos\nbad film,neg\nfine film,pos\nworse film,neg\ngreat film,pos\n",
      ),
    ]);
    expect(kinds(repeated.log.summaries())).toEqual(["warning:duplicate-text"]);
    expect(repeated.log.summaries()[0]?.rows).toEqual([{ row: 4, detail: "the text of line 2 of a.csv" }]);
    expect(repeated.dataset?.examples).toHaveLength(4);

    const conflicting = await ingestLabelled([
      file("a.csv", "text,label\nfine film,pos\nbad film,neg\n"),
      file("b.neg", "fine film\n"),
    ]);
    expect(conflicting.dataset).toBeUndefined();
    expect(conflicting.log.summaries()[0]).toMatchObject({
      kind: "conflicting-labels",
      file: "b.neg",
      count: 1,
      rows: [{ row: 1, detail: "labelled pos at line 2 of a.csv" }],
    });
  });

  it.each([
    [
      "one class",
      [file("a.csv", "text,label\ngood,1\nfine,1\n")],
      "one-class",
      /all 2 examples are "positive"/,
    ],
    ["an empty file", [file("a.csv", "")], "empty-file", /empty|no data/],
    ["a header only", [file("a.csv", "text,label\n")], "empty-file", /no data rows/],
    [
      "no label column",
      [file("a.csv", "text,stars\ngood,5\nbad,1\n")],
      "header",
      /no "label" column.*found text, stars/,
    ],
    [
      "empty texts",
      [
        file(
          "a.jsonl",
          '{"text":"good","label":"pos"}\n{"text":"","label":"neg"}\n{"text":"bad","label":"neg"}\n',
        ),
      ],
      "empty-text",
      /missing or empty/,
    ],
    [
      "a label used once",
      [file("a.csv", "text,label\ngood,happy\nfine,happy\nbad,sad\n")],
      "small-class",
      /"sad" has 1/,
    ],
    ["no labelled file", [file("ratings.dat", "1::2::3::4\n")], "labelled-files", /found ratings.dat/],
  ])("fails %s with a problem that names it", async (_, files, kind, detail) => {
    const { dataset, log } = await ingestLabelled(files);
    expect(dataset).toBeUndefined();
    const problem = log.summaries().find((p) => p.kind === kind);
    expect(problem?.severity).toBe("error");
    expect(problem?.rows.map((r) => r.detail).join(" ")).toMatch(detail);
  });
});
