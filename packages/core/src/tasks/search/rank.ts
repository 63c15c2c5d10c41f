import { type Fused, fuseRankings } from "./fusion.js";
import type { KeywordIndex } from "./keywords.js";
import { normalise, rowCount, topKByCosine } from "./vectors.js";

export type SearchMode = "hybrid" | "semantic" | "keyword";
export type Ranking = "semantic" | "keyword";
export type RankedDoc = Fused<Ranking>;

const MODES: readonly SearchMode[] = ["hybrid", "semantic", "keyword"];
export const MAX_K = 100;
/** In hybrid mode each ranking contributes its top max(k, FUSION_DEPTH) to the fusion. */
export const FUSION_DEPTH = 100;

/** What ranking needs of a decoded index (`decodeIndex` returns one). */
export interface RankableIndex {
  header: { dimension: number };
  vectors: Float32Array;
  keywords: KeywordIndex;
}

/**
 * The k best documents for a query, best first. Scores: `semantic` the cosine of the query vector and the
 * item's; `keyword` BM25; `hybrid` the reciprocal-rank fusion of the two (see fuseRankings for its scale).
 * `ranks` gives each document's 1-based rank in the rankings it came from. `allow`, one byte per item
 * (from allowMask): only items marked 1 take part, in both rankings alike.
 */
export function rankCatalog(
  index: RankableIndex,
  queryVector: Float32Array | undefined,
  queryText: string,
  options: { k: number; mode: SearchMode; allow?: Uint8Array | undefined },
): RankedDoc[] {
  const { k, mode, allow } = options;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new RangeError(`k must be 1-${MAX_K}, not ${k}`);
  if (!MODES.includes(mode)) throw new RangeError(`mode must be one of ${MODES.join(", ")}, not ${mode}`);
  const dimension = index.header.dimension;
  const count = index.keywords.size;
  if (rowCount(index.vectors, dimension) !== count) throw new Error("the index has vectors for other items");
  if (allow && allow.length !== count)
    throw new RangeError(`allow has ${allow.length} bytes for ${count} items`);
  const allows = allow ? (doc: number) => allow[doc] === 1 : undefined;
  const depth = mode === "hybrid" ? Math.max(k, FUSION_DEPTH) : k;

  const semantic = () => {
    if (!queryVector) throw new Error(`${mode} search needs a query vector`);
    return topKByCosine(index.vectors, dimension, normalise(queryVector), depth, allows);
  };
  const keyword = () => index.keywords.search(queryText, depth, allows);

  if (mode === "semantic") return semantic().map((hit, at) => ({ ...hit, ranks: { semantic: at + 1 } }));
  if (mode === "keyword") return keyword().map((hit, at) => ({ ...hit, ranks: { keyword: at + 1 } }));
  return fuseRankings<Ranking>({ semantic: semantic(), keyword: keyword() }, k);
}
