/**
 * Multinomial logistic regression on sparse features (plus a few dense ones), trained by Adagrad SGD:
 * seeded shuffles, one example at a time, softmax cross-entropy with an L2 penalty applied to the rows an
 * example touches ("sparse L2": a row is shrunk in proportion to how often its feature occurs), none on the
 * bias. Deterministic: the same examples, options and seed give the same bits.
 */

import { seededRandom } from "../random.js";
import type { SparseFeatures } from "./features.js";
import { shuffle } from "./split.js";

export interface TrainingExample {
  features: SparseFeatures;
  label: number;
  /** Dense features (e.g. another model's logit), `extras` of them. */
  extras?: Float32Array;
  /** How much this example counts (1 unless sources are balanced). */
  weight?: number;
}

export interface LogisticOptions {
  classes: number;
  buckets: number;
  extras?: number;
  epochs?: number;
  /** Adagrad's step size. */
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** A per-bucket factor on feature values (NB log-count ratios); folded into the exported table. */
  scale?: Float32Array;
  /** Called after each epoch with the mean training log loss (for a learning curve). */
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

export interface LinearModel {
  classes: number;
  buckets: number;
  /** Row-major [buckets, classes]: the weight of each feature value (scale folded in). */
  table: Float32Array;
  bias: Float32Array;
  /** Row-major [extras, classes]. */
  extraWeights: Float32Array;
}

export const LOGISTIC_DEFAULTS = { epochs: 12, learningRate: 0.2, l2: 1e-6, seed: 1 } as const;
const EPSILON = 1e-8;

/** Softmax of `logits`, in place. */
export function softmaxInPlace(logits: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of logits) max = Math.max(max, value);
  let total = 0;
  for (let c = 0; c < logits.length; c++) {
    logits[c] = Math.exp((logits[c] as number) - max);
    total += logits[c] as number;
  }
  for (let c = 0; c < logits.length; c++) logits[c] = (logits[c] as number) / total;
  return logits;
}

/** Logits of one example under `model`, into `out` (float64 sums of float32 weights). */
export function linearLogits(
  model: LinearModel,
  features: SparseFeatures,
  extras: Float32Array | undefined,
  out: Float64Array,
): Float64Array {
  const { classes, table, bias, extraWeights } = model;
  for (let c = 0; c < classes; c++) out[c] = bias[c] as number;
  const { ids, values } = features;
  for (let i = 0; i < ids.length; i++) {
    const row = (ids[i] as number) * classes;
    const value = values[i] as number;
    for (let c = 0; c < classes; c++) out[c] = (out[c] as number) + value * (table[row + c] as number);
  }
  if (extras) {
    for (let e = 0; e < extras.length; e++) {
      for (let c = 0; c < classes; c++) {
        out[c] = (out[c] as number) + (extras[e] as number) * (extraWeights[e * classes + c] as number);
      }
    }
  }
  return out;
}

export function trainLogistic(examples: readonly TrainingExample[], options: LogisticOptions): LinearModel {
  const { classes, buckets } = options;
  const extras = options.extras ?? 0;
  const epochs = options.epochs ?? LOGISTIC_DEFAULTS.epochs;
  const rate = options.learningRate ?? LOGISTIC_DEFAULTS.learningRate;
  const l2 = options.l2 ?? LOGISTIC_DEFAULTS.l2;
  const random = seededRandom(options.seed ?? LOGISTIC_DEFAULTS.seed);
  const scale = options.scale;
  const model: LinearModel = {
    classes,
    buckets,
    table: new Float32Array(buckets * classes),
    bias: new Float32Array(classes),
    extraWeights: new Float32Array(extras * classes),
  };
  const tableSquares = new Float32Array(buckets * classes);
  const biasSquares = new Float64Array(classes);
  const extraSquares = new Float64Array(extras * classes);
  const scaled: SparseFeatures = { ids: new Int32Array(0), values: new Float32Array(0) };
  const probs = new Float64Array(classes);
  const order = examples.map((_, index) => index);
  const step = (weights: Float32Array, squares: Float32Array | Float64Array, at: number, grad: number) => {
    squares[at] = (squares[at] as number) + grad * grad;
    weights[at] = (weights[at] as number) - (rate * grad) / (Math.sqrt(squares[at] as number) + EPSILON);
  };

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    let loss = 0;
    for (const index of order) {
      const example = examples[index] as TrainingExample;
      let features = example.features;
      if (scale) {
        scaled.ids = features.ids;
        scaled.values = Float32Array.from(
          features.values,
          (value, i) => value * (scale[features.ids[i] as number] as number),
        );
        features = scaled;
      }
      linearLogits(model, features, example.extras, probs);
      softmaxInPlace(probs);
      const weight = example.weight ?? 1;
      loss -= weight * Math.log(Math.max(probs[example.label] as number, Number.MIN_VALUE));
      probs[example.label] = (probs[example.label] as number) - 1; // now the gradient of the logits
      if (weight !== 1) for (let c = 0; c < classes; c++) probs[c] = (probs[c] as number) * weight;
      for (let c = 0; c < classes; c++) step(model.bias, biasSquares, c, probs[c] as number);
      const { ids, values } = features;
      for (let i = 0; i < ids.length; i++) {
        const row = (ids[i] as number) * classes;
        const value = values[i] as number;
        for (let c = 0; c < classes; c++) {
          step(
            model.table,
            tableSquares,
            row + c,
            (probs[c] as number) * value + l2 * (model.table[row + c] as number),
          );
        }
      }
      const dense = example.extras;
      if (dense) {
        for (let e = 0; e < extras; e++) {
          for (let c = 0; c < classes; c++) {
            step(
              model.extraWeights,
              extraSquares,
              e * classes + c,
              (probs[c] as number) * (dense[e] as number),
            );
          }
        }
      }
    }
    options.onEpoch?.(epoch + 1, loss / Math.max(1, examples.length));
  }
  if (scale) {
    for (let bucket = 0; bucket < buckets; bucket++) {
      for (let c = 0; c < classes; c++) {
        const at = bucket * classes + c;
        model.table[at] = (model.table[at] as number) * (scale[bucket] as number);
      }
    }
  }
  return model;
}
