import { describe, expect, it } from "vitest";
import { analyse, Bm25, buildBm25, stem } from "../../../../packages/core/src/tasks/search/bm25.js";
import { fieldText } from "../../../../packages/core/src/tasks/search/build.js";
import { decodeCatalog, encodeCatalog } from "../../../../packages/core/src/tasks/search/catalog-index.js";
import { allowMask, matches } from "../../../../packages/core/src/tasks/search/item-filters.js";
import { cosineScores, fuse, topK } from "../../../../packages/core/src/tasks/search/ranking.js";

function prng(seed: number) {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

describe("keyword analysis and BM25", () => {
  it("lowercases, strips accents and stop words, folds plurals", () => {
    expect(analyse("The Heists of CAFÉ Noir, and stories!")).toEqual(["heist", "cafe", "noir", "story"]);
    expect(["glasses", "boxes", "bus", "film", "3s"].map(stem)).toEqual([
      "glass",
      "box",
      "bus",
      "film",
      "3s",
    ]);
  });

  it("scores a hand-computed example exactly (k1 1.2, b 0.75, Lucene idf)", () => {
    const bm25 = new Bm25(
      buildBm25([
        [{ text: "heist heist film", boost: 1 }],
        [{ text: "film", boost: 1 }],
        [{ text: "love story", boost: 1 }],
      ]),
    );
    const average = (3 + 1 + 2) / 3;
    const idf = (df: number) => Math.log(1 + (3 - df + 0.5) / (df + 0.5));
    const term = (tf: number, length: number, df: number) =>
      (idf(df) * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * length) / average));
    const scores = bm25.scores("heist film");
    expect(scores.get(0)).toBeCloseTo(term(2, 3, 1) + term(1, 3, 2), 6);
    expect(scores.get(1)).toBeCloseTo(term(1, 1, 2), 6);
    expect(scores.has(2)).toBe(false);
    expect(bm25.scores("film", new Uint8Array([0, 1, 1])).has(0)).toBe(false);
  });

  it("equals a brute-force scorer on random documents, through postings", () => {
    const random = prng(3);
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const docs = Array.from({ length: 300 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 20) }, () => words[Math.floor(random() * 40)]).join(" "),
    );
    const bm25 = new Bm25(buildBm25(docs.map((text) => [{ text, boost: 1 }])));
    const tokens = docs.map((doc) => analyse(doc));
    const average = tokens.reduce((sum, list) => sum + list.length, 0) / docs.length;
    for (const query of ["w1 w2", "w5", "w7 w7 w30 nothing"]) {
      const scores = bm25.scores(query);
      tokens.forEach((list, doc) => {
        let expected = 0;
        for (const term of new Set(analyse(query))) {
          const tf = list.filter((word) => word === term).length;
          const df = tokens.filter((other) => other.includes(term)).length;
          if (tf === 0) continue;
          const idf = Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
          expected += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * list.length) / average));
        }
        expect(scores.get(doc) ?? 0).toBeCloseTo(expected, 4);
      });
    }
  });
});

describe("ranking", () => {
  it("top-k by heap equals a full sort, ties to the lower index", () => {
    const random = prng(9);
    const candidates = Array.from({ length: 5000 }, (_, doc) => ({ doc, score: Math.round(random() * 100) }));
    const sorted = [...candidates].sort((a, b) => b.score - a.score || a.doc - b.doc);
    for (const k of [1, 10, 100]) expect(topK(candidates, k)).toEqual(sorted.slice(0, k));
    expect(topK([], 5)).toEqual([]);
  });

  it("fuses rankings by reciprocal rank (60 + rank)", () => {
    const fused = fuse(
      {
        semantic: [
          { doc: 1, score: 0.9 },
          { doc: 2, score: 0.8 },
        ],
        keyword: [
          { doc: 2, score: 7 },
          { doc: 3, score: 5 },
        ],
      },
      3,
    );
    expect(fused.map((entry) => entry.doc)).toEqual([2, 1, 3]);
    expect(fused[0]?.score).toBeCloseTo(1 / 62 + 1 / 61, 10);
    expect(fused[0]?.ranks).toEqual({ semantic: 2, keyword: 1 });
  });
});

describe("filters", () => {
  const film = { id: "1", genres: ["Horror", "Comedy"], year: 2018, title: "Scary" };
  it("match scalars exactly, strings case-insensitively, and list fields by containment", () => {
    expect(matches(film, { genres: "horror" })).toBe(true);
    expect(matches(film, { genres: ["Drama", "Comedy"], year: 2018 })).toBe(true);
    expect(matches(film, { year: 2019 })).toBe(false);
    expect(matches(film, { toString: "x" })).toBe(false);
    expect(Array.from(allowMask([film, { id: "2" }], { title: "SCARY" }))).toEqual([1, 0]);
    expect(() =>
      allowMask([film], Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 1]))),
    ).toThrow("at most 10");
  });
});

describe("the catalogue index", () => {
  const unit = (values: number[]) => {
    const norm = Math.hypot(...values);
    return Float32Array.from(values, (value) => value / norm);
  };

  it("round-trips through its binary form and refuses a foreign blob", () => {
    const items = [
      { id: "a", title: "Heat", genres: ["Crime"] },
      { id: "b", title: "Notting Hill", genres: ["Romance"] },
    ];
    const bytes = encodeCatalog({
      items,
      vectors: [unit([1, 0, 0]), unit([0, 1, 0])],
      fields: ["title", "genres"],
      model: { id: "m", version: "1" },
      builtAt: "2026-12-02T00:00:00.000Z",
      fieldText,
    });
    const index = decodeCatalog(bytes);
    expect(index.items).toEqual(items);
    expect(index.rank(unit([0.1, 1, 0]), "", { k: 1, mode: "semantic", allow: undefined })[0]?.doc).toBe(1);
    expect(
      index.rank(undefined, "crime", { k: 2, mode: "keyword", allow: undefined }).map((r) => r.doc),
    ).toEqual([0]);
    const hybrid = index.rank(unit([0, 1, 0]), "heat", { k: 2, mode: "hybrid", allow: undefined });
    expect(hybrid.map((entry) => entry.ranks)).toEqual([{ semantic: 2, keyword: 1 }, { semantic: 1 }]);
    expect(() => decodeCatalog(new TextEncoder().encode("not an index at all"))).toThrow(
      "Not a Marquee catalogue index",
    );
  });

  it("ranks a synthetic 100,000-item catalogue exactly as brute force does", () => {
    const random = prng(11);
    const [n, d] = [100_000, 32];
    const vectors = new Float32Array(n * d);
    for (let i = 0; i < vectors.length; i++) vectors[i] = random() - 0.5;
    const query = unit(Array.from({ length: d }, () => random() - 0.5));
    const allow = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const best = topK(cosineScores(vectors, d, query, allow), 10);
    let brute: Array<{ doc: number; score: number }> = [];
    for (let doc = 0; doc < n; doc++) {
      if (!allow[doc]) continue;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (vectors[doc * d + j] as number) * (query[j] as number);
      brute.push({ doc, score: dot });
    }
    brute = brute.sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, 10);
    expect(best).toEqual(brute);
  });
});
