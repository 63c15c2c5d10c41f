/**
 * A linear classifier over sparse (hashed) features: `input_ids` int64 [batch, seq] are rows of a weight
 * table [buckets, classes] and `weights` float [batch, seq] their feature values (0 on padding):
 *   logits = Σ_seq weights × table[input_ids] (+ extra_features × extra_weights) + bias
 *   probs  = softmax(logits)
 * `extra_features` float [batch, e] is there only when `extraWeights` is given (dense features such as
 * another model's score, for stacking).
 */
import { GraphBuilder } from "./graph-builder.js";
import { attr, encodeModel, type ModelOptions } from "./model.js";

export interface LinearClassifierOptions {
  /** Row-major [buckets, classes]. */
  table: Float32Array;
  buckets: number;
  classes: number;
  /** [classes]. */
  bias: Float32Array;
  /** Row-major [extras, classes]: adds the `extra_features` input. */
  extraWeights?: Float32Array;
  extras?: number;
}

export function linearClassifierModel(
  options: LinearClassifierOptions,
  model: ModelOptions = {},
): Uint8Array {
  const { buckets, classes } = options;
  if (options.table.length !== buckets * classes) {
    throw new RangeError(`table: expected ${buckets} × ${classes} values, got ${options.table.length}`);
  }
  if (options.bias.length !== classes) throw new RangeError(`bias: expected ${classes} values`);
  const g = new GraphBuilder("linear_text_classifier", "weighted sum of feature rows + bias, softmax");
  const ids = g.input("input_ids", "int64", ["batch", "seq"], `feature ids, 0 to ${buckets - 1}`);
  const weights = g.input("weights", "float32", ["batch", "seq"], "feature values; 0 on padding");
  const rows = g.op("Gather", [g.initializer("feature_table", options.table, [buckets, classes]), ids], {
    axis: attr.int(0),
  });
  const scaled = g.op("Mul", [rows, g.op("Unsqueeze", [weights, g.int64s("axis_2", [2])])]);
  let logits = g.op("ReduceSum", [scaled, g.int64s("axis_1", [1])], { keepdims: attr.int(0) });
  if (options.extraWeights) {
    const extras = options.extras ?? options.extraWeights.length / classes;
    if (!Number.isInteger(extras) || extras * classes !== options.extraWeights.length) {
      throw new RangeError(`extraWeights: expected extras × ${classes} values`);
    }
    const dense = g.input("extra_features", "float32", ["batch", extras], "dense features (stacking)");
    const matrix = g.initializer("extra_weights", options.extraWeights, [extras, classes]);
    logits = g.op("Add", [logits, g.op("MatMul", [dense, matrix])]);
  }
  g.op("Add", [logits, g.initializer("bias", options.bias, [classes])], {}, "logits");
  g.op("Softmax", ["logits"], { axis: attr.int(-1) }, "probs");
  g.output("logits", "float32", ["batch", classes]);
  g.output("probs", "float32", ["batch", classes], "softmax over the classes");
  return encodeModel(g.build(), model);
}
