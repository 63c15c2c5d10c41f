/**
 * Matrix factorisation. Explicit ratings: r̂ = μ + b_u + b_i + p_u·q_i, trained by SGD (Funk / Koren) or by
 * ALS (alternating ridge regressions, biases included as an extra factor). Implicit feedback: weighted ALS
 * (Hu, Koren & Volinsky 2008), every rating a positive with confidence 1 + α·value. The scorer's vector is
 * [p_u, μ + b_u] against M = [Qᵀ; 1] and bias b_i, so its score is the predicted rating (WALS: [p_u] · Qᵀ).
 */

import { randomMatrix, seededRandom, shuffleInPlace } from "../../random.js";
import { globalMean, type RatingsDataset } from "../dataset.js";
import { solveSpdInPlace } from "../linalg/cholesky.js";
import { byItem, byUser, type Csr, rowRange } from "../sparse.js";
import {
  type History,
  numberParam,
  type Params,
  type RecommenderState,
  type TrainedRecommender,
} from "./types.js";

/** Item factors of row d for item i, read from a factor scorer's matrix. */
const factorAt = (state: RecommenderState, d: number, i: number) =>
  state.scorer.matrix[d * state.scorer.items + i] as number;

/**
 * Ridge regression of `targets` on the rows `features(i)` (width w) of the history's items, λ·I added:
 * the user step of ALS, and the fold-in of a new user.
 */
function ridge(
  history: History,
  width: number,
  feature: (i: number, d: number) => number,
  target: (t: number) => number,
  lambda: number,
): Float64Array {
  const a = new Float64Array(width * width);
  const b = new Float64Array(width);
  const row = new Float64Array(width);
  for (let t = 0; t < history.items.length; t++) {
    const item = history.items[t] as number;
    for (let d = 0; d < width; d++) row[d] = feature(item, d);
    const y = target(t);
    for (let p = 0; p < width; p++) {
      b[p] = (b[p] as number) + (row[p] as number) * y;
      for (let q = 0; q <= p; q++)
        a[p * width + q] = (a[p * width + q] as number) + (row[p] as number) * (row[q] as number);
    }
  }
  for (let p = 0; p < width; p++) {
    for (let q = 0; q < p; q++) a[q * width + p] = a[p * width + q] as number;
    a[p * width + p] = (a[p * width + p] as number) + lambda * Math.max(1, history.items.length);
  }
  return solveSpdInPlace(a, width, b);
}

const historyOf = (csr: Csr, row: number): History => {
  const [start, end] = rowRange(csr, row);
  return { items: csr.indices.subarray(start, end), values: csr.values.subarray(start, end) };
};

/** A new user's [p, μ + b_u] from their ratings, item factors and biases fixed. */
export function explicitFoldIn(state: RecommenderState, history: History): Float32Array {
  const k = state.scorer.dims - 1;
  const vector = new Float32Array(k + 1);
  if (history.items.length === 0) {
    vector[k] = state.mean;
    return vector;
  }
  const lambda = numberParam(state.params, "lambda", 0.05, 0, 100);
  const solved = ridge(
    history,
    k + 1,
    (i, d) => (d < k ? factorAt(state, d, i) : 1),
    (t) =>
      (history.values[t] as number) - state.mean - (state.scorer.bias[history.items[t] as number] as number),
    lambda,
  );
  vector.set(solved.subarray(0, k));
  vector[k] = state.mean + (solved[k] as number);
  return vector;
}

function explicitModel(
  dataset: RatingsDataset,
  algorithm: string,
  params: Params,
  factors: BiasedFactors,
  curve: TrainedRecommender["curve"],
): TrainedRecommender {
  const { p, q, bu, bi, k, mean } = factors;
  const users = dataset.userIds.length;
  const items = dataset.itemIds.length;
  const matrix = new Float32Array((k + 1) * items);
  for (let i = 0; i < items; i++) {
    for (let d = 0; d < k; d++) matrix[d * items + i] = q[i * k + d] as number;
    matrix[k * items + i] = 1;
  }
  const userFactors = new Float32Array(users * (k + 1));
  for (let u = 0; u < users; u++) {
    for (let d = 0; d < k; d++) userFactors[u * (k + 1) + d] = p[u * k + d] as number;
    userFactors[u * (k + 1) + k] = mean + (bu[u] as number);
  }
  const state: RecommenderState = {
    algorithm,
    params,
    scorer: { dims: k + 1, items, matrix, bias: Float32Array.from(bi) },
    ratings: byUser(dataset),
    userFactors,
    mean,
  };
  return {
    ...state,
    curve,
    predict: (u, i) => Math.min(5, Math.max(1, biasedPrediction(factors, u, i))),
  };
}

const trainingRmse = (dataset: RatingsDataset, predict: (u: number, i: number) => number) => {
  let squares = 0;
  for (let r = 0; r < dataset.users.length; r++) {
    squares +=
      ((dataset.ratings[r] as number) - predict(dataset.users[r] as number, dataset.items[r] as number)) ** 2;
  }
  return Math.sqrt(squares / Math.max(1, dataset.users.length));
};

interface BiasedFactors {
  /** [users, k] and [items, k], row-major. */
  p: Float64Array;
  q: Float64Array;
  bu: Float64Array;
  bi: Float64Array;
  k: number;
  mean: number;
}

/** The starting point of both explicit trainers: small random factors, zero biases, the mean rating. */
function biasedFactors(dataset: RatingsDataset, k: number, seed: number): BiasedFactors {
  const users = dataset.userIds.length;
  const items = dataset.itemIds.length;
  return {
    p: Float64Array.from(randomMatrix(users, k, 0.1, seed)),
    q: Float64Array.from(randomMatrix(items, k, 0.1, seed + 1)),
    bu: new Float64Array(users),
    bi: new Float64Array(items),
    k,
    mean: globalMean(dataset),
  };
}

/** μ + b_u + b_i + p_u·q_i, unclipped. */
function biasedPrediction({ p, q, bu, bi, k, mean }: BiasedFactors, u: number, i: number): number {
  let score = mean + (bu[u] as number) + (bi[i] as number);
  for (let d = 0; d < k; d++) score += (p[u * k + d] as number) * (q[i * k + d] as number);
  return score;
}

export const MF_SGD_DEFAULTS = {
  factors: 100,
  epochs: 40,
  learningRate: 0.007,
  lambda: 0.06,
  biasLambda: 0.02,
  seed: 7,
};

export function trainMfSgd(dataset: RatingsDataset, params: Params): TrainedRecommender {
  const k = numberParam(params, "factors", MF_SGD_DEFAULTS.factors, 1, 512);
  const epochs = numberParam(params, "epochs", MF_SGD_DEFAULTS.epochs, 1, 500);
  const rate = numberParam(params, "learningRate", MF_SGD_DEFAULTS.learningRate, 1e-5, 1);
  const lambda = numberParam(params, "lambda", MF_SGD_DEFAULTS.lambda, 0, 10);
  const biasLambda = numberParam(params, "biasLambda", MF_SGD_DEFAULTS.biasLambda, 0, 10);
  const seed = numberParam(params, "seed", MF_SGD_DEFAULTS.seed, 0, 2 ** 31);
  const factors = biasedFactors(dataset, k, seed);
  const { p, q, bu, bi, mean } = factors;
  const order = Int32Array.from(dataset.users, (_, r) => r);
  const random = seededRandom(seed + 2);
  const curve: NonNullable<TrainedRecommender["curve"]> = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffleInPlace(order, random);
    let squares = 0;
    for (const r of order) {
      const u = dataset.users[r] as number;
      const i = dataset.items[r] as number;
      const pu = u * k;
      const qi = i * k;
      let dot = 0;
      for (let d = 0; d < k; d++) dot += (p[pu + d] as number) * (q[qi + d] as number);
      const error = (dataset.ratings[r] as number) - (mean + (bu[u] as number) + (bi[i] as number) + dot);
      squares += error * error;
      bu[u] = (bu[u] as number) + rate * (error - biasLambda * (bu[u] as number));
      bi[i] = (bi[i] as number) + rate * (error - biasLambda * (bi[i] as number));
      for (let d = 0; d < k; d++) {
        const pud = p[pu + d] as number;
        const qid = q[qi + d] as number;
        p[pu + d] = pud + rate * (error * qid - lambda * pud);
        q[qi + d] = qid + rate * (error * pud - lambda * qid);
      }
    }
    curve.push({ epoch, value: Math.sqrt(squares / Math.max(1, order.length)), metric: "training RMSE" });
  }
  return explicitModel(
    dataset,
    "mf-sgd",
    { factors: k, epochs, learningRate: rate, lambda, biasLambda, seed },
    factors,
    curve,
  );
}

/**
 * One side of an ALS sweep: each row of `csr` (a user's ratings, or an item's) gets the ridge solution of
 * [factors, bias] against the other side's [factors, 1], targets less the mean and the other side's bias.
 */
function alsHalfStep(
  csr: Csr,
  own: Float64Array,
  ownBias: Float64Array,
  other: Float64Array,
  otherBias: Float64Array,
  k: number,
  mean: number,
  lambda: number,
): void {
  for (let row = 0; row < csr.rows; row++) {
    const history = historyOf(csr, row);
    if (history.items.length === 0) continue;
    const x = ridge(
      history,
      k + 1,
      (j, d) => (d < k ? (other[j * k + d] as number) : 1),
      (t) => (history.values[t] as number) - mean - (otherBias[history.items[t] as number] as number),
      lambda,
    );
    own.set(x.subarray(0, k), row * k);
    ownBias[row] = x[k] as number;
  }
}

export const MF_ALS_DEFAULTS = { factors: 20, epochs: 12, lambda: 0.08, seed: 7 };

export function trainMfAls(dataset: RatingsDataset, params: Params): TrainedRecommender {
  const k = numberParam(params, "factors", MF_ALS_DEFAULTS.factors, 1, 256);
  const epochs = numberParam(params, "epochs", MF_ALS_DEFAULTS.epochs, 1, 100);
  const lambda = numberParam(params, "lambda", MF_ALS_DEFAULTS.lambda, 1e-6, 100);
  const seed = numberParam(params, "seed", MF_ALS_DEFAULTS.seed, 0, 2 ** 31);
  const factors = biasedFactors(dataset, k, seed);
  const { p, q, bu, bi, mean } = factors;
  const rows = byUser(dataset);
  const columns = byItem(dataset);
  const curve: NonNullable<TrainedRecommender["curve"]> = [];
  const predict = (u: number, i: number) => biasedPrediction(factors, u, i);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    alsHalfStep(rows, p, bu, q, bi, k, mean, lambda);
    alsHalfStep(columns, q, bi, p, bu, k, mean, lambda);
    curve.push({ epoch, value: trainingRmse(dataset, predict), metric: "training RMSE" });
  }
  return explicitModel(dataset, "mf-als", { factors: k, epochs, lambda, seed }, factors, curve);
}

export const WALS_DEFAULTS = { factors: 32, epochs: 8, lambda: 0.1, alpha: 2, seed: 7 };

/** (YᵀY + Σ_t (c_t − 1) y_t y_tᵀ + λI) x = Σ_t c_t y_t for one user or item, Y the other side's factors. */
function walsSolve(
  history: History,
  factors: Float64Array,
  gram: Float64Array,
  k: number,
  lambda: number,
  alpha: number,
): Float64Array {
  const a = Float64Array.from(gram);
  const b = new Float64Array(k);
  for (let t = 0; t < history.items.length; t++) {
    const at = (history.items[t] as number) * k;
    const confidence = 1 + alpha * (history.values[t] as number);
    for (let p = 0; p < k; p++) {
      const yp = factors[at + p] as number;
      b[p] = (b[p] as number) + confidence * yp;
      for (let q = 0; q < k; q++)
        a[p * k + q] = (a[p * k + q] as number) + (confidence - 1) * yp * (factors[at + q] as number);
    }
  }
  for (let p = 0; p < k; p++) a[p * k + p] = (a[p * k + p] as number) + lambda;
  return solveSpdInPlace(a, k, b);
}

function gramOf(factors: Float64Array, rows: number, k: number): Float64Array {
  const gram = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < k; p++) {
      const x = factors[r * k + p] as number;
      for (let q = 0; q < k; q++)
        gram[p * k + q] = (gram[p * k + q] as number) + x * (factors[r * k + q] as number);
    }
  }
  return gram;
}

/** WALS confidences use 1 per event for explicit ratings (a rating is an interaction) and the weight for implicit data. */
const implicitValues = (csr: Csr, implicit: boolean): Csr =>
  implicit ? csr : { ...csr, values: new Float32Array(csr.values.length).fill(1) };

export function walsFoldIn(state: RecommenderState, history: History): Float32Array {
  const k = state.scorer.dims;
  const items = state.scorer.items;
  const q = new Float64Array(items * k);
  for (let i = 0; i < items; i++) for (let d = 0; d < k; d++) q[i * k + d] = factorAt(state, d, i);
  const alpha = numberParam(state.params, "alpha", WALS_DEFAULTS.alpha, 0, 1000);
  const lambda = numberParam(state.params, "lambda", WALS_DEFAULTS.lambda, 1e-6, 1000);
  const values =
    state.params.implicit === true ? history.values : new Float32Array(history.items.length).fill(1);
  return Float32Array.from(
    walsSolve({ items: history.items, values }, q, gramOf(q, items, k), k, lambda, alpha),
  );
}

export function trainWals(dataset: RatingsDataset, params: Params): TrainedRecommender {
  const k = numberParam(params, "factors", WALS_DEFAULTS.factors, 1, 256);
  const epochs = numberParam(params, "epochs", WALS_DEFAULTS.epochs, 1, 100);
  const lambda = numberParam(params, "lambda", WALS_DEFAULTS.lambda, 1e-6, 1000);
  const alpha = numberParam(params, "alpha", WALS_DEFAULTS.alpha, 0, 1000);
  const seed = numberParam(params, "seed", WALS_DEFAULTS.seed, 0, 2 ** 31);
  const users = dataset.userIds.length;
  const items = dataset.itemIds.length;
  const p = Float64Array.from(randomMatrix(users, k, 0.01, seed));
  const q = Float64Array.from(randomMatrix(items, k, 0.01, seed + 1));
  const rows = implicitValues(byUser(dataset), dataset.implicit);
  const columns = implicitValues(byItem(dataset), dataset.implicit);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const itemGram = gramOf(q, items, k);
    for (let u = 0; u < users; u++)
      p.set(walsSolve(historyOf(rows, u), q, itemGram, k, lambda, alpha), u * k);
    const userGram = gramOf(p, users, k);
    for (let i = 0; i < items; i++)
      q.set(walsSolve(historyOf(columns, i), p, userGram, k, lambda, alpha), i * k);
  }
  const matrix = new Float32Array(k * items);
  for (let i = 0; i < items; i++) for (let d = 0; d < k; d++) matrix[d * items + i] = q[i * k + d] as number;
  return {
    algorithm: "wals",
    params: { factors: k, epochs, lambda, alpha, seed, implicit: dataset.implicit },
    scorer: { dims: k, items, matrix, bias: new Float32Array(items) },
    ratings: byUser(dataset),
    userFactors: Float32Array.from(p),
    mean: globalMean(dataset),
  };
}
