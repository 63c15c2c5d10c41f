import { describe, expect, it } from "vitest";
import {
  buildDataset,
  itemsFormatOf,
  type RawRating,
  ratingsFormatOf,
  readItems,
  readRatings,
} from "../../../../packages/core/src/training/ratings/ingest/parse.js";
import { ProblemLog } from "../../../../packages/core/src/training/ratings/ingest/problems.js";
import {
  pseudonymise,
  pseudonymiser,
} from "../../../../packages/core/src/training/ratings/ingest/pseudonym.js";
import { TEST_KEY } from "../../../support/synthetic-ratings.js";

const bytes = (text: string) => new TextEncoder().encode(text);

function ingest(text: string, file: string) {
  const log = new ProblemLog();
  const raw: RawRating[] = [];
  const format = ratingsFormatOf(file);
  if (!format) throw new Error(file);
  const implicit = readRatings(bytes(text), format, file, log, raw);
  return { log, dataset: buildDataset(raw, implicit, undefined, pseudonymiser(TEST_KEY), log, file) };
}

describe("ratings ingest", () => {
  it("reads u.data, ratings.dat and CSV alike, with pseudonymised users and uploaded item ids", () => {
    const tsv = ingest("196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t302\t5\t881250950\n", "u.data");
    const dat = ingest(
      "196::242::3::881250949\n186::302::3::891717742\n196::302::5::881250950\n",
      "ratings.dat",
    );
    const csv = ingest(
      "user,item,rating,timestamp\n196,242,3,881250949\n186,302,3,891717742\n196,302,5,881250950\n",
      "r.csv",
    );
    for (const { dataset, log } of [tsv, dat, csv]) {
      expect(log.summaries()).toEqual([]);
      expect(dataset?.itemIds).toEqual(["242", "302"]);
      expect(dataset?.userIds).toContain(pseudonymise("196", TEST_KEY));
      expect(dataset?.userIds.join()).not.toMatch(/196|186/);
    }
    expect(tsv.dataset?.fingerprint).toBe(dat.dataset?.fingerprint);
    expect(csv.dataset?.fingerprint).toBe(tsv.dataset?.fingerprint);
  });

  it("reads implicit events (user,item,weight)", () => {
    const { dataset } = ingest("user,item,weight\na,x,2\nb,x,1\n", "events.csv");
    expect(dataset?.implicit).toBe(true);
    expect(Array.from(dataset?.ratings ?? [])).toEqual([2, 1]);
  });

  it("names every bad row: columns, non-numeric ratings, duplicates, one value only, empty files", () => {
    const bad = ingest("1\t10\t4\t1\n2\t10\tfive\t2\n3\t10\n1\t10\t5\t3\n", "u.data");
    expect(bad.dataset).toBeUndefined();
    const kinds = Object.fromEntries(bad.log.summaries().map((s) => [s.kind, s]));
    expect(kinds.rating?.rows[0]).toEqual({ row: 2, detail: 'rating "five"' });
    expect(kinds.columns?.rows[0]?.row).toBe(3);
    expect(kinds.duplicate?.count).toBe(1);
    expect(ingest("1\t10\t4\t1\n2\t11\t4\t2\n", "u.data").log.count("single-rating")).toBe(1);
    expect(ingest("", "u.data").log.count("empty-file")).toBe(1);
    expect(ingest("who,what\n1,2\n", "x.csv").log.count("header")).toBe(1);
  });

  it("reads u.item (latin-1, genre flags) and movies.dat", () => {
    const flags = Array.from({ length: 19 }, (_, g) => (g === 5 || g === 8 ? "1" : "0")).join("|");
    const latin1 = Uint8Array.from(
      Buffer.from(`1|Café Society (1995)|01-Jan-1995||http://x|${flags}\n`, "latin1"),
    );
    const log = new ProblemLog();
    expect(itemsFormatOf("ml/u.item")).toBe("u.item");
    const items = readItems(latin1, "u.item", "u.item", log);
    expect(items.get("1")).toEqual({ title: "Café Society", year: 1995, genres: ["Comedy", "Drama"] });
    const dat = readItems(bytes("2::Heat (1995)::Action|Crime|Thriller\n"), "movies.dat", "movies.dat", log);
    expect(dat.get("2")?.genres).toEqual(["Action", "Crime", "Thriller"]);
    expect(log.summaries()).toEqual([]);
  });
});
