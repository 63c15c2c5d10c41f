import { describe, expect, it } from "vitest";
import { classificationReport } from "../../../../packages/core/src/training/sentiment/evaluate.js";
import {
  DEFAULT_FEATURES,
  featuresOf,
  fnv1a,
  rawFeatureIds,
} from "../../../../packages/core/src/training/sentiment/features.js";
import { classNames } from "../../../../packages/core/src/training/sentiment/labels.js";
import {
  linearLogits,
  softmaxInPlace,
  trainLogistic,
} from "../../../../packages/core/src/training/sentiment/logistic.js";
import { stratifiedSplit } from "../../../../packages/core/src/training/sentiment/split.js";

describe("the review classifier's pieces", () => {
  it("hashes fastText-normalised unigrams and bigrams with FNV-1a into l2-normalised binary features", () => {
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("")).toBe(0x811c9dc5);
    const spec = { ...DEFAULT_FEATURES, buckets: 2 ** 20 };
    const ids = rawFeatureIds("Great film!", spec);
    expect(Array.from(ids)).toEqual(
      ["great", "film", "!", "great film", "film !"].map((token) => fnv1a(token) & (spec.buckets - 1)),
    );
    const features = featuresOf("good good film", spec);
    expect(features.ids.length).toBe(4); // good, film, "good good", "good film"
    expect(Array.from(features.ids)).toEqual([...features.ids].sort((a, b) => a - b));
    for (const value of features.values) expect(value).toBeCloseTo(0.5, 6);
  });

  it("names polarity classes in the pretrained order and other labels sorted", () => {
    const polarity = classNames(["pos", "0", "Negative", "true"]);
    expect(polarity.labels).toEqual(["positive", "negative"]);
    expect(["pos", "0", "Negative", "true"].map(polarity.classOf)).toEqual([0, 1, 1, 0]);
    expect(classNames(["sad", "happy", "meh"]).labels).toEqual(["happy", "meh", "sad"]);
  });

  it("splits each class by the fraction with a seed, and the same seed gives the same split", () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ i, label: i < 70 ? 0 : 1 }));
    const split = stratifiedSplit(items, (item) => item.label, 0.2, 7);
    expect(split.test.filter((item) => item.label === 0)).toHaveLength(14);
    expect(split.test.filter((item) => item.label === 1)).toHaveLength(6);
    expect(stratifiedSplit(items, (item) => item.label, 0.2, 7)).toEqual(split);
    expect(stratifiedSplit(items, (item) => item.label, 0.2, 8).test).not.toEqual(split.test);
  });

  it("learns a separable problem deterministically, weights examples, and uses a stacked feature", () => {
    const spec = { ...DEFAULT_FEATURES, buckets: 2 ** 12 };
    const words = [
      ["superb", "moving"],
      ["dreadful", "boring"],
    ] as const;
    const examples = Array.from({ length: 40 }, (_, i) => ({
      features: featuresOf(`a ${words[i % 2]?.[i % 4 < 2 ? 0 : 1]} film`, spec),
      label: i % 2,
    }));
    const options = { classes: 2, buckets: spec.buckets, epochs: 5 };
    const model = trainLogistic(examples, options);
    expect(trainLogistic(examples, options).table).toEqual(model.table);
    const p = (text: string) =>
      softmaxInPlace(linearLogits(model, featuresOf(text, spec), undefined, new Float64Array(2)));
    expect(p("a superb film")[0]).toBeGreaterThan(0.9);
    expect(p("a boring film")[1]).toBeGreaterThan(0.9);
    // Only the extra feature tells the classes apart: the model must lean on it.
    const stacked = Array.from({ length: 40 }, (_, i) => ({
      features: featuresOf("the same words", spec),
      label: i % 2,
      extras: Float32Array.of(i % 2 === 0 ? 3 : -3),
      weight: i % 2 === 0 ? 1 : 0.5,
    }));
    const withExtra = trainLogistic(stacked, { ...options, extras: 1 });
    const logits = linearLogits(
      withExtra,
      featuresOf("the same words", spec),
      Float32Array.of(3),
      new Float64Array(2),
    );
    expect(softmaxInPlace(logits)[0]).toBeGreaterThan(0.9);
  });

  it("reports accuracy, per-class precision/recall/F1, log loss and the confusion matrix", () => {
    const report = classificationReport(
      ["positive", "negative"],
      [0, 0, 1, 1],
      [
        [0.9, 0.1],
        [0.4, 0.6],
        [0.2, 0.8],
        [0.3, 0.7],
      ],
    );
    expect(report.accuracy).toBe(0.75);
    expect(report.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(report.perClass[0]).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(report.perClass[1]?.precision).toBeCloseTo(2 / 3, 10);
    expect(report.perClass[1]?.f1).toBeCloseTo(0.8, 10);
    expect(report.logLoss).toBeCloseTo(
      -(Math.log(0.9) + Math.log(0.4) + Math.log(0.8) + Math.log(0.7)) / 4,
      10,
    );
  });
});
