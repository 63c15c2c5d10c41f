/**
 * Recommender serving graphs: a query row times a stored matrix, plus biases, excluded items pushed to
 * −1e30, then TopK. Two shapes of the same computation:
 *   - factors (MF, BPR, ALS): `user_vector` [batch, d] — or `user` int64 [batch], a row of a stored user
 *     matrix — × item factors → [batch, n];
 *   - item-item (EASE, item-based CF): `interactions` [batch, n] (the user's row) × B [n, n].
 * Both take `seen_mask` float [batch, n] (1 = exclude: seen or filtered out, 0 = candidate) and `k` int64 [1]
 * (1 ≤ k ≤ n), and give `scores` float [batch, k] (best first) and `indices` int64 [batch, k]. When fewer
 * than k items are candidates, the rest come out with scores ≤ EXCLUDED_SCORE / 2: drop them.
 */
import { GraphBuilder } from "./graph-builder.js";
import { attr, encodeModel, type ModelOptions } from "./model.js";

export const EXCLUDED_SCORE = -1e30;

export interface FactorTopKOptions {
  /** Item vectors, row-major [items, dimensions] (item i's vector at i × dimensions). */
  itemFactors: Float32Array;
  items: number;
  dimensions: number;
  /** Added to every user's score of the item [items]. */
  itemBias?: Float32Array;
  /** A stored user matrix [users, dimensions]: the graph then takes `user` (row indices) instead of vectors. */
  userFactors?: Float32Array;
  /** With userFactors: each user's bias [users], added to the scores (predicted ratings, not the order). */
  userBias?: Float32Array;
  /** Added to every score (e.g. the global mean rating). */
  globalBias?: number;
}

export interface ItemItemTopKOptions {
  /** Row-major [items, items]: score of item j = Σ_i interactions[i] × weights[i × items + j]. */
  weights: Float32Array;
  items: number;
}

function expectLength(what: string, data: Float32Array | undefined, length: number): void {
  if (data !== undefined && data.length !== length) {
    throw new RangeError(`${what}: expected ${length} values, got ${data.length}`);
  }
}

/** [rows, cols] row-major → [cols, rows] row-major. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let row = 0; row < rows; row++) {
    const from = row * cols;
    for (let col = 0; col < cols; col++) out[col * rows + row] = data[from + col] as number;
  }
  return out;
}

/** Mask, TopK and the two outputs, after `scores` [batch, items]. */
function maskAndTopK(g: GraphBuilder, scores: string, items: number): void {
  const mask = g.input("seen_mask", "float32", ["batch", items], "1 = exclude the item, 0 = candidate");
  const k = g.input("k", "int64", [1], "how many items to return, 1 to the number of items");
  const penalty = g.op("Mul", [mask, g.floats("excluded_score", [EXCLUDED_SCORE], [])]);
  const masked = g.op("Add", [scores, penalty]);
  g.node("TopK", [masked, k], { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) }, [
    "scores",
    "indices",
  ]);
  g.output("scores", "float32", ["batch", "k"], "best first");
  g.output("indices", "int64", ["batch", "k"], "item positions (0-based)");
}

/** The factor model's top-k graph (see the module comment). */
export function factorTopKModel(options: FactorTopKOptions, model: ModelOptions = {}): Uint8Array {
  const { items, dimensions } = options;
  expectLength("itemFactors", options.itemFactors, items * dimensions);
  expectLength("itemBias", options.itemBias, items);
  const g = new GraphBuilder("factor_top_k", "user vector × item factors + biases, excluded items, TopK");
  let user: string;
  let users = 0;
  if (options.userFactors) {
    users = options.userFactors.length / dimensions;
    if (!Number.isInteger(users)) throw new RangeError("userFactors: not a whole number of rows");
    expectLength("userBias", options.userBias, users);
    const index = g.input("user", "int64", ["batch"], `user rows, 0 to ${users - 1}`);
    const table = g.initializer("user_factors", options.userFactors, [users, dimensions]);
    user = g.op("Gather", [table, index], { axis: attr.int(0) });
  } else {
    if (options.userBias) throw new RangeError("userBias needs userFactors (a stored user matrix)");
    user = g.input("user_vector", "float32", ["batch", dimensions]);
  }
  const itemMatrix = g.initializer("item_factors_t", transpose(options.itemFactors, items, dimensions), [
    dimensions,
    items,
  ]);
  let scores = g.op("MatMul", [user, itemMatrix]);
  if (options.itemBias) scores = g.op("Add", [scores, g.initializer("item_bias", options.itemBias, [items])]);
  if (options.globalBias !== undefined) {
    scores = g.op("Add", [scores, g.floats("global_bias", [options.globalBias], [])]);
  }
  if (options.userFactors && options.userBias) {
    const bias = g.op("Gather", [g.initializer("user_bias", options.userBias, [users, 1]), "user"], {
      axis: attr.int(0),
    });
    scores = g.op("Add", [scores, bias]);
  }
  maskAndTopK(g, scores, items);
  return encodeModel(g.build(), model);
}

/** The item-item top-k graph (EASE's B, or a neighbour-weight matrix): see the module comment. */
export function itemItemTopKModel(options: ItemItemTopKOptions, model: ModelOptions = {}): Uint8Array {
  const { items } = options;
  expectLength("weights", options.weights, items * items);
  const g = new GraphBuilder("item_item_top_k", "interaction row × item-item weights, excluded items, TopK");
  const row = g.input("interactions", "float32", ["batch", items], "the user's interactions (e.g. 1 = seen)");
  const scores = g.op("MatMul", [row, g.initializer("item_weights", options.weights, [items, items])]);
  maskAndTopK(g, scores, items);
  return encodeModel(g.build(), model);
}
