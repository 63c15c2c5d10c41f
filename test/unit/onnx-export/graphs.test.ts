import { describe, expect, it } from "vitest";
import { linearClassifierModel } from "../../../packages/core/src/onnx-export/linear-classifier.js";
import { exportedSession } from "../../../packages/core/src/onnx-export/session.js";
import { itemItemTopKModel } from "../../../packages/core/src/onnx-export/top-k.js";
import { topK } from "../../../packages/core/src/training/ratings/evaluate.js";
import {
  DEFAULT_FEATURES,
  featureFeeds,
  featuresOf,
} from "../../../packages/core/src/training/sentiment/features.js";
import {
  linearLogits,
  softmaxInPlace,
  trainLogistic,
} from "../../../packages/core/src/training/sentiment/logistic.js";

describe("exported ONNX graphs run in onnxruntime-web as their TypeScript models compute", () => {
  it("the hashed-feature logistic classifier: same probabilities", async () => {
    const spec = { ...DEFAULT_FEATURES, buckets: 2 ** 12 };
    const texts = ["a great film", "a dreadful film", "great acting, great story", "dreadful, boring"];
    const examples = texts.map((text, index) => ({ features: featuresOf(text, spec), label: index % 2 }));
    const model = trainLogistic(examples, { classes: 2, buckets: spec.buckets, epochs: 5 });
    const session = await exportedSession(
      linearClassifierModel({ table: model.table, buckets: spec.buckets, classes: 2, bias: model.bias }),
    );
    const feeds = featureFeeds(examples.map((example) => example.features));
    const out = await session.run({ input_ids: feeds.input_ids, weights: feeds.weights });
    const probs = out.probs?.data as Float32Array;
    examples.forEach((example, row) => {
      const expected = softmaxInPlace(linearLogits(model, example.features, undefined, new Float64Array(2)));
      expect(probs[row * 2]).toBeCloseTo(expected[0] as number, 5);
      expect(probs[row * 2 + 1]).toBeCloseTo(expected[1] as number, 5);
    });
    await session.release();
  });

  it("the item-item top-k graph: the same items as the TypeScript scorer, seen items excluded", async () => {
    const items = 40;
    const weights = Float32Array.from({ length: items * items }, (_, i) => Math.sin(i * 12.9898) * 0.5);
    const session = await exportedSession(itemItemTopKModel({ weights, items }));
    const row = new Float32Array(items);
    row[3] = 1;
    row[7] = 1;
    const out = await session.run({
      interactions: { type: "float32", data: row, dims: [1, items] },
      seen_mask: { type: "float32", data: row, dims: [1, items] },
      k: { type: "int64", data: BigInt64Array.of(5n), dims: [1] },
    });
    const scores = new Float32Array(items);
    for (let j = 0; j < items; j++)
      scores[j] = (weights[3 * items + j] as number) + (weights[7 * items + j] as number);
    const expected = topK(scores, 5, (item) => row[item] === 1);
    expect(Array.from(out.indices?.data as BigInt64Array, Number)).toEqual(expected);
    await session.release();
  });
});
