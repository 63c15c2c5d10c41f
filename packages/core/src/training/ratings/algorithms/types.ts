/**
 * Every recommender, once trained, is a linear scorer: a user becomes a vector u (dims values, computed from
 * the user's history or read from a stored factor table) and the score of item i is Σ_d u[d]·M[d, i] + b[i].
 * That one computation is what the ONNX serving graph runs (then masks seen items and takes the top k);
 * `predict`, where an algorithm has one, is its rating prediction for RMSE and MAE.
 */

import type { Csr } from "../sparse.js";

/** A user's rated items as item indices (ascending) and values. */
export interface History {
  items: Int32Array;
  values: Float32Array;
}

export interface LinearScorer {
  dims: number;
  items: number;
  /** Row-major [dims, items]. */
  matrix: Float32Array;
  /** [items]. */
  bias: Float32Array;
}

/**
 * What serving holds of a trained recommender (and what evaluation uses): the scorer, the training ratings
 * by user, stored user vectors for factor models. A user's vector is computed from these alone, so the
 * same code serves known users, new users' request ratings and the held-out evaluation.
 */
export interface RecommenderState {
  algorithm: string;
  params: Params;
  scorer: LinearScorer;
  /** Training ratings, users × items. */
  ratings: Csr;
  /** [users, dims] for factor models: a known user's trained vector. */
  userFactors?: Float32Array;
  /** Global mean rating (factor models' fold-in). */
  mean: number;
}

export interface TrainedRecommender extends RecommenderState {
  /** Predicted rating; only algorithms that model ratings have one. */
  predict?(user: number, item: number): number;
  /** Item × item similarity for similar-items, when the algorithm has its own (item-based CF). */
  neighbours?(item: number, k: number): Array<{ item: number; score: number }>;
  /** Per-epoch training loss or error, for the report's learning curve. */
  curve?: Array<{ epoch: number; value: number; metric: string }>;
}

/** Scores of every item for a user vector: sparse-aware (item-item vectors are mostly zeros). */
export function scoreAll(
  scorer: LinearScorer,
  vector: Float32Array,
  out = new Float32Array(scorer.items),
): Float32Array {
  out.set(scorer.bias);
  const { items, matrix } = scorer;
  for (let d = 0; d < scorer.dims; d++) {
    const weight = vector[d] as number;
    if (weight === 0) continue;
    const row = d * items;
    for (let i = 0; i < items; i++) out[i] = (out[i] as number) + weight * (matrix[row + i] as number);
  }
  return out;
}

export type Params = Record<string, number | string | boolean>;

/** Reads a numeric parameter with a default and bounds (a bad value is an input error of the job). */
export function numberParam(
  params: Params,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = params[name] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`parameter ${name} must be a number from ${min} to ${max}`);
  }
  return value;
}
