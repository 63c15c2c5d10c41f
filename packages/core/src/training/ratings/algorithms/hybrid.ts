/**
 * Hybrid: a weighted blend of a collaborative model and the content model, switching to content +
 * popularity for users with fewer than `minHistory` ratings. A blend of linear scorers is a linear scorer:
 * the parts' matrices are stacked and a user's vector is the parts' vectors, each scaled by its weight over
 * the spread of its scores (measured on the training users), so the one serving graph runs it.
 */
import type { RatingsDataset } from "../dataset.js";
import { rowRange } from "../sparse.js";
import {
  type History,
  type LinearScorer,
  numberParam,
  type Params,
  type RecommenderState,
  scoreAll,
  type TrainedRecommender,
} from "./types.js";

export const HYBRID_DEFAULTS = { collaborative: "ease", weight: 0.8, minHistory: 5 };

export interface HybridPart {
  state: RecommenderState;
  foldIn: (state: RecommenderState, history: History) => Float32Array;
}

/** The part `index` of a stacked scorer, as a state its own fold-in understands. */
export function partStates(state: RecommenderState): RecommenderState[] {
  const names = String(state.params.parts).split(",");
  const dims = String(state.params.partDims).split(",").map(Number);
  const { items } = state.scorer;
  let offset = 0;
  return names.map((algorithm, index) => {
    const width = dims[index] as number;
    const matrix = state.scorer.matrix.subarray(offset * items, (offset + width) * items);
    offset += width;
    const params: Params = {};
    for (const [key, value] of Object.entries(state.params)) {
      if (key.startsWith(`${algorithm}.`)) params[key.slice(algorithm.length + 1)] = value;
    }
    return {
      ...state,
      algorithm,
      params,
      scorer: { dims: width, items, matrix, bias: new Float32Array(items) },
      userFactors: undefined,
    };
  });
}

export function hybridVector(
  state: RecommenderState,
  history: History,
  foldIn: (part: RecommenderState, history: History) => Float32Array,
): Float32Array {
  const parts = partStates(state);
  const scales = String(state.params.scales).split(",").map(Number);
  const weight = numberParam(state.params, "weight", HYBRID_DEFAULTS.weight, 0, 1);
  const cold =
    history.items.length < numberParam(state.params, "minHistory", HYBRID_DEFAULTS.minHistory, 0, 1000);
  const weights = cold ? [0, 0.5, 0.5] : [weight, 1 - weight, 0];
  const vector = new Float32Array(state.scorer.dims);
  let offset = 0;
  parts.forEach((part, index) => {
    const w = (weights[index] as number) / (scales[index] as number);
    if (w > 0) {
      const partVector = foldIn(part, history);
      for (let d = 0; d < partVector.length; d++) vector[offset + d] = (partVector[d] as number) * w;
    }
    offset += part.scorer.dims;
  });
  return vector;
}

/** Standard deviation of a part's scores over up to 200 training users (the blend's common scale). */
function spreadOf(part: HybridPart, sample: number[]): number {
  let sum = 0;
  let squares = 0;
  let count = 0;
  const scores = new Float32Array(part.state.scorer.items);
  for (const u of sample) {
    const [start, end] = rowRange(part.state.ratings, u);
    const history = {
      items: part.state.ratings.indices.subarray(start, end),
      values: part.state.ratings.values.subarray(start, end),
    };
    scoreAll(part.state.scorer, part.foldIn(part.state, history), scores);
    for (const score of scores) {
      sum += score;
      squares += score * score;
      count++;
    }
  }
  const mean = sum / Math.max(1, count);
  return Math.sqrt(Math.max(1e-12, squares / Math.max(1, count) - mean * mean));
}

export function combineHybrid(
  dataset: RatingsDataset,
  params: Params,
  parts: HybridPart[],
): TrainedRecommender {
  const weight = numberParam(params, "weight", HYBRID_DEFAULTS.weight, 0, 1);
  const minHistory = numberParam(params, "minHistory", HYBRID_DEFAULTS.minHistory, 0, 1000);
  const users = dataset.userIds.length;
  const sample = Array.from({ length: Math.min(200, users) }, (_, n) =>
    Math.floor((n * users) / Math.min(200, users)),
  );
  const scales = parts.map((part) => spreadOf(part, sample));
  const items = dataset.itemIds.length;
  const dims = parts.reduce((total, part) => total + part.state.scorer.dims, 0);
  const matrix = new Float32Array(dims * items);
  let offset = 0;
  for (const part of parts) {
    matrix.set(part.state.scorer.matrix, offset * items);
    offset += part.state.scorer.dims;
  }
  const merged: Params = {
    weight,
    minHistory,
    parts: parts.map((part) => part.state.algorithm).join(","),
    partDims: parts.map((part) => part.state.scorer.dims).join(","),
    scales: scales.join(","),
  };
  for (const part of parts)
    for (const [key, value] of Object.entries(part.state.params))
      merged[`${part.state.algorithm}.${key}`] = value;
  const scorer: LinearScorer = { dims, items, matrix, bias: new Float32Array(items) };
  const first = parts[0]?.state;
  if (!first) throw new RangeError("a hybrid needs parts");
  return {
    algorithm: "hybrid",
    params: merged,
    scorer,
    ratings: first.ratings,
    mean: first.mean,
  };
}
