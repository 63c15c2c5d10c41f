import { describe, expect, it } from "vitest";
import {
  normalise,
  normaliseRows,
  TopK,
  topKByCosine,
} from "../../../../packages/core/src/tasks/search/vectors.js";

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

const byScoreThenDoc = (a: { doc: number; score: number }, b: { doc: number; score: number }) =>
  b.score - a.score || a.doc - b.doc;

describe("the top-k heap", () => {
  it("equals a full sort on random data, ties to the lower doc whatever the order of offers", () => {
    const random = seededRandom(9);
    for (let run = 0; run < 50; run++) {
      const n = Math.floor(random() * 2000);
      // Few distinct scores, so ties are everywhere.
      const candidates = Array.from({ length: n }, (_, doc) => ({ doc, score: Math.floor(random() * 20) }));
      const shuffled = [...candidates];
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [
          shuffled[j] as (typeof shuffled)[number],
          shuffled[i] as (typeof shuffled)[number],
        ];
      }
      const sorted = [...candidates].sort(byScoreThenDoc);
      for (const k of [0, 1, 7, 100, n + 5]) {
        const top = new TopK(k);
        for (const { doc, score } of shuffled) top.offer(doc, score);
        expect(top.results()).toEqual(sorted.slice(0, k));
      }
    }
  });

  it("refuses a k that is not a whole number", () => {
    expect(() => new TopK(-1)).toThrow(RangeError);
    expect(() => new TopK(1.5)).toThrow("whole number");
  });
});

describe("cosine top-k", () => {
  it("normalises to unit length and leaves the zero vector alone", () => {
    const unit = normalise(Float32Array.of(3, 4));
    expect(Array.from(unit)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(normalise(new Float32Array(3)))).toEqual([0, 0, 0]);
    const rows = normaliseRows(Float32Array.of(0, 2, 5, 0), 2);
    expect(Array.from(rows)).toEqual([0, 1, 1, 0]);
  });

  it("equals scoring every row and sorting, with and without a filter", () => {
    const random = seededRandom(4);
    const [n, d] = [3000, 16];
    const vectors = normaliseRows(
      Float32Array.from({ length: n * d }, () => random() - 0.5),
      d,
    );
    // Duplicate rows make exact ties.
    vectors.copyWithin(10 * d, 20 * d, 21 * d);
    const query = normalise(vectors.slice(20 * d, 21 * d));
    const allow = (doc: number) => doc % 3 !== 1;
    const scored = Array.from({ length: n }, (_, doc) => {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (vectors[doc * d + j] as number) * (query[j] as number);
      return { doc, score: dot };
    });
    for (const k of [1, 10, 100]) {
      expect(topKByCosine(vectors, d, query, k)).toEqual([...scored].sort(byScoreThenDoc).slice(0, k));
      expect(topKByCosine(vectors, d, query, k, allow)).toEqual(
        scored
          .filter(({ doc }) => allow(doc))
          .sort(byScoreThenDoc)
          .slice(0, k),
      );
    }
    expect(topKByCosine(vectors, d, query, 2).map((hit) => hit.doc)).toEqual([10, 20]);
  });

  it("refuses a query or matrix of the wrong shape", () => {
    expect(() => topKByCosine(new Float32Array(6), 3, new Float32Array(2), 1)).toThrow("not 3");
    expect(() => topKByCosine(new Float32Array(7), 3, new Float32Array(3), 1)).toThrow("dimension 3");
  });
});
