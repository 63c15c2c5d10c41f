import type { Scored } from "./vectors.js";

/** The constant of reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009). */
export const RRF_K = 60;

export type Fused<Name extends string> = Scored & {
  /** 1-based rank of the document in each list it appears in; absent where it does not. */
  ranks: Partial<Record<Name, number>>;
};

/**
 * Reciprocal rank fusion: a document's score is the sum, over the lists it appears in, of
 * 1 / (rrfK + rank), rank counted from 1; only ranks matter, never the lists' own scores. With rrfK = 60
 * one list gives at most 1/61 ≈ 0.01639, so two lists give scores in (0, 2/61 ≈ 0.03279]: the scale says
 * how much the lists agree, not how relevant a document is. Returns the best `k` (all by default), ties
 * to the lower doc. A document repeated within a list counts at its first (best) rank only.
 */
export function fuseRankings<Name extends string>(
  lists: Readonly<Record<Name, readonly Scored[]>>,
  k = Number.POSITIVE_INFINITY,
  rrfK = RRF_K,
): Array<Fused<Name>> {
  const fused = new Map<number, Fused<Name>>();
  for (const name of Object.keys(lists) as Name[]) {
    lists[name].forEach(({ doc }, index) => {
      let entry = fused.get(doc);
      if (!entry) {
        entry = { doc, score: 0, ranks: {} };
        fused.set(doc, entry);
      }
      if (entry.ranks[name] !== undefined) return;
      entry.ranks[name] = index + 1;
      entry.score += 1 / (rrfK + index + 1);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.doc - b.doc).slice(0, k);
}
