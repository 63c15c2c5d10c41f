/**
 * What a trained review classifier's version holds: `features.json` (the feature spec, the labels and the
 * base model it is stacked on) and `model.onnx` (the linear classifier over the hashed features, with the
 * base model's logit as its extra input when stacked), with their tensor contracts.
 */
import { linearClassifierModel } from "../../onnx-export/linear-classifier.js";
import type { FeatureSpec } from "../sentiment/features.js";
import { POLARITY_LABELS } from "../sentiment/labels.js";
import type { LinearFile } from "../sentiment/linear-file.js";
import type { LinearModel } from "../sentiment/logistic.js";
import type { TrainingJob } from "./job-spec.js";
import type { VersionContent } from "./publish.js";

export interface TrainedClassifier {
  spec: FeatureSpec;
  labels: string[];
  model: LinearModel;
  /** The base model whose logit of "positive" is the extra feature, when stacked. */
  stack: { id: string; version: string } | undefined;
}

export function classifierVersion(job: TrainingJob, trained: TrainedClassifier): VersionContent {
  const { spec, labels, model, stack } = trained;
  const file: LinearFile = {
    format: "marquee-hashed-linear",
    version: 1,
    features: spec,
    labels,
    stack: stack
      ? { model: stack.id, version: stack.version, feature: "logit", label: POLARITY_LABELS[0] }
      : null,
  };
  const extra = {
    name: "extra_features",
    type: "float32" as const,
    shape: ["N", 1],
    description: `logit of ${POLARITY_LABELS[0]} under the base model`,
  };
  return {
    task: "sentiment",
    format: "hashed-linear",
    description: `Hashed ${spec.ngrams === 2 ? "uni+bigram" : "unigram"} logistic regression${
      stack ? ` stacked on ${stack.id}` : ""
    }, trained on ${job.dataset}`,
    inputs: [
      { name: "input_ids", type: "int64", shape: ["N", "S"], description: "hashed feature ids" },
      { name: "weights", type: "float32", shape: ["N", "S"], description: "feature values (0 on padding)" },
      ...(stack ? [extra] : []),
    ],
    outputs: [{ name: "probs", type: "float32", shape: ["N", labels.length], description: "per label" }],
    preprocess: { features: spec },
    postprocess: { output: "probs" },
    labels,
    files: {
      "features.json": new TextEncoder().encode(JSON.stringify(file)),
      "model.onnx": linearClassifierModel({
        table: model.table,
        buckets: spec.buckets,
        classes: labels.length,
        bias: model.bias,
        ...(stack ? { extraWeights: model.extraWeights, extras: 1 } : {}),
      }),
    },
  };
}
