/**
 * Neighbourhood models. Item-based CF: adjusted-cosine (ratings centred on each user's mean) or cosine
 * similarity between items over their common users, shrunk by n/(n + shrinkage), the top-N neighbours of
 * each item kept. User-based CF: Pearson correlation over co-rated items, shrunk the same way, top-N
 * neighbours. Predictions are the classic weighted deviations from the user's (item CF) or neighbour's
 * (user CF) mean; the scorer ranks by Σ similarity over the user's items (item CF: vector = the user's
 * binary row, M = the neighbour matrix) or over the neighbours' items (user CF: vector = similarities,
 * M = the binary users × items matrix).
 */
import { globalMean, type RatingsDataset } from "../dataset.js";
import { byItem, byUser, type Csr, rowRange } from "../sparse.js";
import {
  type History,
  numberParam,
  type Params,
  type RecommenderState,
  type TrainedRecommender,
} from "./types.js";

export const ITEM_CF_DEFAULTS = { neighbours: 50, shrinkage: 25, similarity: "adjusted-cosine" };
export const USER_CF_DEFAULTS = { neighbours: 50, shrinkage: 10 };

/** The user's binary row over items: the item-item scorers' vector. */
export function binaryVector(state: RecommenderState, history: History): Float32Array {
  const vector = new Float32Array(state.scorer.items);
  for (const item of history.items) vector[item] = 1;
  return vector;
}

function rowMeans(csr: Csr): Float64Array {
  return Float64Array.from({ length: csr.rows }, (_, r) => {
    const [start, end] = rowRange(csr, r);
    let sum = 0;
    for (let t = start; t < end; t++) sum += csr.values[t] as number;
    return end > start ? sum / (end - start) : 0;
  });
}

/** Keeps the `k` largest positive values of a dense row, as (index, value) pairs best first. */
function topOf(row: Float64Array, k: number, skip: number): Array<{ item: number; score: number }> {
  const order: number[] = [];
  for (let j = 0; j < row.length; j++) if (j !== skip && (row[j] as number) > 0) order.push(j);
  order.sort((a, b) => (row[b] as number) - (row[a] as number));
  return order.slice(0, k).map((item) => ({ item, score: row[item] as number }));
}

/**
 * Cosine similarity of every pair of rows of `csr` over their common columns, each value centred by
 * `centre(row, column, value)`, shrunk by n/(n + shrinkage): each row's top `k` neighbours.
 */
function similarities(
  csr: Csr,
  transposed: Csr,
  centre: (row: number, column: number, value: number) => number,
  k: number,
  shrinkage: number,
) {
  const n = csr.rows;
  const dot = new Float64Array(n);
  const normA = new Float64Array(n);
  const normB = new Float64Array(n);
  const common = new Int32Array(n);
  const top: Array<Array<{ item: number; score: number }>> = [];
  for (let a = 0; a < n; a++) {
    dot.fill(0);
    normA.fill(0);
    normB.fill(0);
    common.fill(0);
    const [start, end] = rowRange(csr, a);
    for (let t = start; t < end; t++) {
      const column = csr.indices[t] as number;
      const x = centre(a, column, csr.values[t] as number);
      const [cs, ce] = rowRange(transposed, column);
      for (let s = cs; s < ce; s++) {
        const b = transposed.indices[s] as number;
        const y = centre(b, column, transposed.values[s] as number);
        dot[b] = (dot[b] as number) + x * y;
        normA[b] = (normA[b] as number) + x * x;
        normB[b] = (normB[b] as number) + y * y;
        common[b] = (common[b] as number) + 1;
      }
    }
    const row = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      const denominator = Math.sqrt((normA[b] as number) * (normB[b] as number));
      if (denominator > 0) {
        row[b] =
          ((dot[b] as number) / denominator) * ((common[b] as number) / ((common[b] as number) + shrinkage));
      }
    }
    top.push(topOf(row, k, a));
  }
  return top;
}

const denseFrom = (top: Array<Array<{ item: number; score: number }>>, n: number): Float32Array => {
  const matrix = new Float32Array(n * n);
  top.forEach((neighbours, a) => {
    for (const { item, score } of neighbours) matrix[a * n + item] = score;
  });
  return matrix;
};

export function trainItemCf(dataset: RatingsDataset, params: Params): TrainedRecommender {
  const k = numberParam(params, "neighbours", ITEM_CF_DEFAULTS.neighbours, 1, 1000);
  const shrinkage = numberParam(params, "shrinkage", ITEM_CF_DEFAULTS.shrinkage, 0, 1e4);
  const similarity = String(params.similarity ?? ITEM_CF_DEFAULTS.similarity);
  if (similarity !== "cosine" && similarity !== "adjusted-cosine")
    throw new RangeError('parameter similarity must be "cosine" or "adjusted-cosine"');
  const users = byUser(dataset);
  const items = byItem(dataset);
  const userMeans = rowMeans(users);
  const n = dataset.itemIds.length;
  const adjusted = similarity === "adjusted-cosine";
  const top = similarities(
    items,
    users,
    (_, user, value) => (adjusted ? value - (userMeans[user] as number) : value),
    k,
    shrinkage,
  );
  const matrix = denseFrom(top, n);
  const mean = globalMean(dataset);
  return {
    algorithm: "item-cf",
    params: { neighbours: k, shrinkage, similarity },
    scorer: { dims: n, items: n, matrix, bias: new Float32Array(n) },
    ratings: users,
    mean,
    neighbours: (item, count) => (top[item] ?? []).slice(0, count),
    predict: (u, i) => {
      const [start, end] = rowRange(users, u);
      let top_ = 0;
      let bottom = 0;
      for (let t = start; t < end; t++) {
        const s = matrix[i * n + (users.indices[t] as number)] as number;
        if (s === 0) continue;
        top_ += s * ((users.values[t] as number) - (userMeans[u] as number));
        bottom += Math.abs(s);
      }
      const base = end > start ? (userMeans[u] as number) : mean;
      return Math.min(5, Math.max(1, bottom > 0 ? base + top_ / bottom : base));
    },
  };
}

/** Pearson similarities of a history to every training user, the top `k` kept: user CF's vector. */
export function pearsonVector(state: RecommenderState, history: History): Float32Array {
  const k = numberParam(state.params, "neighbours", USER_CF_DEFAULTS.neighbours, 1, 1000);
  const shrinkage = numberParam(state.params, "shrinkage", USER_CF_DEFAULTS.shrinkage, 0, 1e4);
  const csr = state.ratings;
  const mine = new Map<number, number>();
  let sum = 0;
  history.items.forEach((item, t) => {
    mine.set(item, history.values[t] as number);
    sum += history.values[t] as number;
  });
  const myMean = history.items.length > 0 ? sum / history.items.length : 0;
  const row = new Float64Array(csr.rows);
  for (let v = 0; v < csr.rows; v++) {
    const [start, end] = rowRange(csr, v);
    let theirs = 0;
    for (let t = start; t < end; t++) theirs += csr.values[t] as number;
    const theirMean = end > start ? theirs / (end - start) : 0;
    let dot = 0;
    let a = 0;
    let b = 0;
    let common = 0;
    for (let t = start; t < end; t++) {
      const value = mine.get(csr.indices[t] as number);
      if (value === undefined) continue;
      const x = value - myMean;
      const y = (csr.values[t] as number) - theirMean;
      dot += x * y;
      a += x * x;
      b += y * y;
      common++;
    }
    if (a > 0 && b > 0) row[v] = (dot / Math.sqrt(a * b)) * (common / (common + shrinkage));
  }
  const vector = new Float32Array(csr.rows);
  for (const { item, score } of topOf(row, k, -1)) vector[item] = score;
  return vector;
}

export function trainUserCf(dataset: RatingsDataset, params: Params): TrainedRecommender {
  const k = numberParam(params, "neighbours", USER_CF_DEFAULTS.neighbours, 1, 1000);
  const shrinkage = numberParam(params, "shrinkage", USER_CF_DEFAULTS.shrinkage, 0, 1e4);
  const users = byUser(dataset);
  const items = byItem(dataset);
  const userMeans = rowMeans(users);
  const top = similarities(
    users,
    items,
    (user, _, value) => value - (userMeans[user] as number),
    k,
    shrinkage,
  );
  const nUsers = users.rows;
  const n = dataset.itemIds.length;
  const matrix = new Float32Array(nUsers * n);
  for (let u = 0; u < nUsers; u++) {
    const [start, end] = rowRange(users, u);
    for (let t = start; t < end; t++) matrix[u * n + (users.indices[t] as number)] = 1;
  }
  const userFactors = new Float32Array(nUsers * nUsers);
  top.forEach((neighbours, u) => {
    for (const { item, score } of neighbours) userFactors[u * nUsers + item] = score;
  });
  const mean = globalMean(dataset);
  return {
    algorithm: "user-cf",
    params: { neighbours: k, shrinkage },
    scorer: { dims: nUsers, items: n, matrix, bias: new Float32Array(n) },
    ratings: users,
    userFactors,
    mean,
    predict: (u, i) => {
      const [start, end] = rowRange(items, i);
      let top_ = 0;
      let bottom = 0;
      for (let t = start; t < end; t++) {
        const v = items.indices[t] as number;
        const s = userFactors[u * nUsers + v] as number;
        if (s === 0) continue;
        top_ += s * ((items.values[t] as number) - (userMeans[v] as number));
        bottom += Math.abs(s);
      }
      const base = (userMeans[u] as number) || mean;
      return Math.min(5, Math.max(1, bottom > 0 ? base + top_ / bottom : base));
    },
  };
}
