import { describe, expect, it } from "vitest";
import { fuseRankings, RRF_K } from "../../../../packages/core/src/tasks/search/fusion.js";

const list = (...docs: number[]) => docs.map((doc, at) => ({ doc, score: 100 - at }));

describe("reciprocal rank fusion", () => {
  it("sums 1 / (60 + rank) over the lists, by hand", () => {
    const fused = fuseRankings({ semantic: list(1, 2, 3), keyword: list(2, 4, 1) });
    // doc 2: 1/62 + 1/61; doc 1: 1/61 + 1/63; doc 3: 1/63; doc 4: 1/62.
    expect(RRF_K).toBe(60);
    expect(fused).toEqual([
      { doc: 2, score: 1 / 62 + 1 / 61, ranks: { semantic: 2, keyword: 1 } },
      { doc: 1, score: 1 / 61 + 1 / 63, ranks: { semantic: 1, keyword: 3 } },
      { doc: 4, score: 1 / 62, ranks: { keyword: 2 } },
      { doc: 3, score: 1 / 63, ranks: { semantic: 3 } },
    ]);
    expect(fused[0]?.score).toBeCloseTo(0.0325225, 7);
  });

  it("keeps the best k, breaks ties by the lower doc, ignores the lists' scores and repeats", () => {
    const fused = fuseRankings({ a: list(5, 7), b: list(7, 5) }, 1);
    expect(fused).toEqual([{ doc: 5, score: 1 / 61 + 1 / 62, ranks: { a: 1, b: 2 } }]);
    expect(fuseRankings({ a: list(3, 3, 4) }).map((hit) => [hit.doc, hit.ranks.a])).toEqual([
      [3, 1],
      [4, 3],
    ]);
    expect(fuseRankings({ a: list(1) }, 5, 0)[0]?.score).toBe(1);
    expect(fuseRankings({ a: [], b: [] })).toEqual([]);
  });
});
