import { describe, expect, it } from "vitest";
import { allowMask } from "../../../../packages/core/src/tasks/search/filters.js";
import { decodeIndex, encodeIndex } from "../../../../packages/core/src/tasks/search/index-codec.js";
import { analyse, KeywordIndex } from "../../../../packages/core/src/tasks/search/keywords.js";
import { rankCatalog } from "../../../../packages/core/src/tasks/search/rank.js";
import { normaliseRows } from "../../../../packages/core/src/tasks/search/vectors.js";

/** mulberry32: seeded numbers in [0, 1), so the random data is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Hit = { doc: number; score: number };
const best = (hits: Hit[], k: number) =>
  hits
    .filter((hit) => Number.isFinite(hit.score))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, k);

describe("ranking a small catalogue", () => {
  // Vectors point along x (crime) or y (romance); texts say the same in words.
  const index = {
    header: { dimension: 2 },
    vectors: normaliseRows(Float32Array.of(1, 0, 0.9, 0.1, 0, 1, 0.2, 0.8), 2),
    keywords: KeywordIndex.build([
      ["Heat", "heist crew"],
      ["Ronin", "crew"],
      ["Notting Hill", "love"],
      ["Up", "love heist"],
    ]),
  };
  const crime = Float32Array.of(3, 0);

  it("ranks semantically, by keyword and by both", () => {
    const semantic = rankCatalog(index, crime, "", { k: 3, mode: "semantic" });
    expect(semantic.map((hit) => [hit.doc, hit.ranks])).toEqual([
      [0, { semantic: 1 }],
      [1, { semantic: 2 }],
      [3, { semantic: 3 }],
    ]);
    expect(semantic[0]?.score).toBeCloseTo(1, 6);
    const keyword = rankCatalog(index, undefined, "heists", { k: 3, mode: "keyword" });
    expect(keyword.map((hit) => [hit.doc, hit.ranks])).toEqual([
      [0, { keyword: 1 }],
      [3, { keyword: 2 }],
    ]);
    const hybrid = rankCatalog(index, Float32Array.of(0, 1), "heist", { k: 4, mode: "hybrid" });
    // semantic: 2, 3, 1, 0; keyword: 0, 3.
    expect(hybrid).toEqual([
      { doc: 3, score: 1 / 62 + 1 / 62, ranks: { semantic: 2, keyword: 2 } },
      { doc: 0, score: 1 / 64 + 1 / 61, ranks: { semantic: 4, keyword: 1 } },
      { doc: 2, score: 1 / 61, ranks: { semantic: 1 } },
      { doc: 1, score: 1 / 63, ranks: { semantic: 3 } },
    ]);
  });

  it("keeps to the allowed items in both rankings", () => {
    const allow = Uint8Array.of(0, 1, 1, 1);
    const hybrid = rankCatalog(index, crime, "heist", { k: 10, mode: "hybrid", allow });
    expect(hybrid.map((hit) => [hit.doc, hit.ranks])).toEqual([
      [3, { semantic: 2, keyword: 1 }],
      [1, { semantic: 1 }],
      [2, { semantic: 3 }],
    ]);
    expect(rankCatalog(index, crime, "heist", { k: 5, mode: "semantic", allow: new Uint8Array(4) })).toEqual(
      [],
    );
  });

  it("refuses what it cannot rank", () => {
    expect(() => rankCatalog(index, undefined, "heat", { k: 1, mode: "hybrid" })).toThrow(
      "needs a query vector",
    );
    expect(() => rankCatalog(index, Float32Array.of(1, 0, 0), "", { k: 1, mode: "semantic" })).toThrow(
      "not 2",
    );
    expect(() => rankCatalog(index, crime, "", { k: 0, mode: "semantic" })).toThrow("k must be 1-100");
    expect(() => rankCatalog(index, crime, "", { k: 101, mode: "semantic" })).toThrow("k must be 1-100");
    const allow = new Uint8Array(3);
    expect(() => rankCatalog(index, crime, "", { k: 1, mode: "semantic", allow })).toThrow("3 bytes for 4");
  });
});

describe("a synthetic 100,000-item catalogue", () => {
  it("ranks exactly as brute force does, through the codec, with and without filters", () => {
    const random = seededRandom(100_000);
    const [n, d] = [100_000, 100];
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    const syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zo", "be", "di", "fu", "go", "hi"];
    const vocabulary = Array.from({ length: 400 }, () => pick(syllables) + pick(syllables) + pick(syllables));
    vocabulary.push("the", "stories", "story", "café");
    const phrase = (length: number) => Array.from({ length }, () => pick(vocabulary)).join(" ");
    const documents = Array.from({ length: n }, () => [
      phrase(1 + Math.floor(random() * 3)),
      phrase(3 + Math.floor(random() * 10)),
    ]);
    const genres = ["Drama", "Comedy", "Horror", "Action", "Family"];
    const items = documents.map((_, at) => ({
      id: String(at),
      genres: [pick(genres), pick(genres)],
      year: 2010 + (at % 10),
    }));
    const vectors = normaliseRows(
      Float32Array.from({ length: n * d }, () => random() - 0.5),
      d,
    );

    const blob = encodeIndex({
      vectors,
      dimension: d,
      keywords: KeywordIndex.build(documents),
      model: { id: "synthetic", version: "1" },
      textFields: ["title", "text"],
    });
    const index = decodeIndex(blob);

    // Brute force: every document scored from its own tokens, title terms counted twice.
    const tokens = documents.map(([title = "", text = ""]) => {
      const counts = new Map<string, number>();
      for (const term of [...analyse(title), ...analyse(title), ...analyse(text)])
        counts.set(term, (counts.get(term) ?? 0) + 1);
      return counts;
    });
    const lengths = tokens.map((counts) => [...counts.values()].reduce((sum, tf) => sum + tf, 0));
    const average = lengths.reduce((sum, length) => sum + length, 0) / n;
    const bm25 = (query: string, allow: Uint8Array | undefined): Hit[] => {
      const terms = [...new Set(analyse(query))];
      const df = terms.map((term) => tokens.filter((counts) => counts.has(term)).length);
      return tokens.map((counts, doc) => {
        let score = Number.NEGATIVE_INFINITY;
        terms.forEach((term, at) => {
          const tf = counts.get(term);
          if (tf === undefined || (allow && !allow[doc])) return;
          const idf = Math.log(1 + (n - (df[at] as number) + 0.5) / ((df[at] as number) + 0.5));
          const norm = tf + 1.2 * (1 - 0.75 + (0.75 * (lengths[doc] as number)) / average);
          score = (score === Number.NEGATIVE_INFINITY ? 0 : score) + (idf * tf * 2.2) / norm;
        });
        return { doc, score };
      });
    };
    const cosine = (query: Float32Array, allow: Uint8Array | undefined): Hit[] =>
      Array.from({ length: n }, (_, doc) => {
        if (allow && !allow[doc]) return { doc, score: Number.NEGATIVE_INFINITY };
        let dot = 0;
        for (let j = 0; j < d; j++) dot += (vectors[doc * d + j] as number) * (query[j] as number);
        return { doc, score: dot };
      });

    const filters = [undefined, allowMask(items, { genres: ["horror", "Family"], year: [2012, 2015] })];
    for (let q = 0; q < 3; q++) {
      const text = `${phrase(2)} the ${pick(vocabulary)}s`;
      const queryVector = normaliseRows(
        Float32Array.from({ length: d }, () => random() - 0.5),
        d,
      );
      for (const allow of filters) {
        const options = { k: 10, allow };
        const semantic = best(cosine(queryVector, allow), 100);
        const keyword = best(bm25(text, allow), 100);
        expect(keyword.length).toBeGreaterThan(10);
        expect(rankCatalog(index, queryVector, text, { ...options, mode: "semantic" })).toEqual(
          semantic.slice(0, 10).map((hit, at) => ({ ...hit, ranks: { semantic: at + 1 } })),
        );
        const keywordHits = rankCatalog(index, undefined, text, { ...options, mode: "keyword" });
        expect(keywordHits.map((hit) => hit.doc)).toEqual(keyword.slice(0, 10).map((hit) => hit.doc));
        for (const [at, hit] of keywordHits.entries())
          expect(hit.score).toBeCloseTo(keyword[at]?.score ?? 0, 9);

        const fused = new Map<number, number>();
        for (const list of [semantic, keyword])
          list.forEach(({ doc }, at) => fused.set(doc, (fused.get(doc) ?? 0) + 1 / (61 + at)));
        const expected = best(
          [...fused].map(([doc, score]) => ({ doc, score })),
          10,
        );
        const hybrid = rankCatalog(index, queryVector, text, { ...options, mode: "hybrid" });
        expect(hybrid.map((hit) => hit.doc)).toEqual(expected.map((hit) => hit.doc));
        for (const [at, hit] of hybrid.entries()) expect(hit.score).toBeCloseTo(expected[at]?.score ?? 0, 12);
      }
    }
  });
});
