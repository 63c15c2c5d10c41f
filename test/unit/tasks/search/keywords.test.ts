import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyse, KeywordIndex, stem } from "../../../../packages/core/src/tasks/search/keywords.js";

describe("the keyword analyser", () => {
  it("lowercases, strips diacritics and stop words, splits on anything but letters and digits", () => {
    expect(analyse("The CAFÉ of Crème-Brûlée, and Amélie's 1980s!")).toEqual([
      "cafe",
      "creme",
      "brulee",
      "amelie",
      "1980s",
    ]);
    expect(analyse("café")).toEqual(analyse("cafe"));
    expect(analyse("Ｆｉｌｍ ﬁlm")).toEqual(["film", "film"]);
    expect(analyse("Москва 東京 Zoë")).toEqual(["москва", "東京", "zoe"]);
    expect(analyse("it is a the of")).toEqual([]);
    expect(analyse("")).toEqual([]);
  });

  it("folds plurals and leaves other words alone", () => {
    const cases = {
      heists: "heist",
      stories: "story",
      ties: "tie",
      boxes: "box",
      churches: "church",
      glasses: "glass",
      bus: "bus",
      virus: "virus",
      analysis: "analysis",
      film: "film",
      "1980s": "1980s",
    };
    for (const [word, stemmed] of Object.entries(cases)) expect(stem(word), word).toBe(stemmed);
    expect(analyse("Heists")).toEqual(analyse("heist"));
  });
});

const K1 = 1.2;
const B = 0.75;

/** BM25 straight from its definition, document by document: the reference for the postings. */
function bruteForce(documents: string[][], query: string) {
  const tokens = documents.map((fields) => fields.flatMap(analyse));
  const average = tokens.reduce((sum, list) => sum + list.length, 0) / tokens.length || 1;
  return tokens.map((list) => {
    let score = 0;
    for (const term of new Set(analyse(query))) {
      const tf = list.filter((word) => word === term).length;
      if (tf === 0) continue;
      const df = tokens.filter((other) => other.includes(term)).length;
      const idf = Math.log(1 + (tokens.length - df + 0.5) / (df + 0.5));
      score += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * list.length) / average));
    }
    return score;
  });
}

describe("the BM25 index", () => {
  it("scores a hand-computed example exactly (k1 1.2, b 0.75, Lucene idf)", () => {
    const index = KeywordIndex.build([["The heist film"], ["Heists, heists and a crew"], ["A love story"]], {
      boosts: [1],
    });
    // avgdl 7/3; idf(heist, df 2) = ln 1.6 = 0.47000363, idf(crew, df 1) = ln(1 + 2.5/1.5) = 0.98082925.
    const hits = index.search("heist crews", 10);
    expect(hits.map((hit) => hit.doc)).toEqual([1, 0]);
    expect(hits[0]?.score).toBeCloseTo(1.476370768406763, 12);
    expect(hits[1]?.score).toBeCloseTo(0.4991762683023676, 12);
    expect(index.search("heist", 10, (doc) => doc !== 1).map((hit) => hit.doc)).toEqual([0]);
    expect(index.search("the nothing", 10)).toEqual([]);
  });

  it("counts a boosted field's terms that many times (title ×2 by default)", () => {
    const documents = [
      ["Heist", "a film"],
      ["Love", "heist story"],
      ["Film", "film"],
    ];
    // Boosted lengths 3, 4, 3 (avgdl 10/3); "heist" has tf 2 in doc 0 (its title), 1 in doc 1.
    const hits = KeywordIndex.build(documents).search("heist", 10);
    expect(hits.map((hit) => hit.doc)).toEqual([0, 1]);
    expect(hits[0]?.score).toBeCloseTo(0.664956903112938, 12);
    expect(hits[1]?.score).toBeCloseTo(0.4344571362775708, 12);
    expect(KeywordIndex.build(documents, { boosts: [0, 1] }).search("love", 10)).toEqual([]);
  });

  it("through postings, equals a brute-force scorer on random documents", () => {
    const vocabulary = [
      "heist",
      "heists",
      "crew",
      "love",
      "story",
      "stories",
      "café",
      "cafe",
      "the",
      "war",
      "x1",
    ];
    const text = fc.array(fc.constantFrom(...vocabulary), { maxLength: 12 }).map((words) => words.join(" "));
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 40 }),
        text,
        fc.integer({ min: 1, max: 50 }),
        (documents, query, k) => {
          const expected = bruteForce(documents, query)
            .map((score, doc) => ({ doc, score }))
            .filter((hit) => hit.score > 0)
            .sort((a, b) => b.score - a.score || a.doc - b.doc)
            .slice(0, k);
          const hits = KeywordIndex.build(documents, { boosts: [] }).search(query, k);
          expect(hits.map((hit) => hit.doc)).toEqual(expected.map((hit) => hit.doc));
          hits.forEach((hit, at) => {
            expect(hit.score).toBeCloseTo(expected[at]?.score ?? Number.NaN, 9);
          });
        },
      ),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it("searches an empty index", () => {
    expect(KeywordIndex.build([]).search("film", 5)).toEqual([]);
  });
});
