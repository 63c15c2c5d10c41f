import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  algorithmNamed,
  algorithms,
} from "../../../../packages/core/src/training/ratings/algorithms/index.js";
import { scoreAll } from "../../../../packages/core/src/training/ratings/algorithms/types.js";
import {
  evaluate,
  randomSplit,
  ratingError,
} from "../../../../packages/core/src/training/ratings/evaluate.js";
import {
  buildDataset,
  type RawRating,
  readItems,
  readRatings,
} from "../../../../packages/core/src/training/ratings/ingest/parse.js";
import { ProblemLog } from "../../../../packages/core/src/training/ratings/ingest/problems.js";
import { pseudonymiser } from "../../../../packages/core/src/training/ratings/ingest/pseudonym.js";
import { hasShared, sharedData } from "../../../support/shared.js";
import { syntheticRatings, TEST_KEY } from "../../../support/synthetic-ratings.js";

function predictOf(model: { predict?: (user: number, item: number) => number }) {
  if (!model.predict) throw new Error("no rating prediction");
  return model.predict;
}

describe("recommenders on ratings with a known latent structure", () => {
  const dataset = syntheticRatings();

  it("matrix factorisation recovers the structure: RMSE well below the item-mean baseline", () => {
    const { train, test } = randomSplit(dataset, 0.2, 1);
    const baseline = ratingError(
      predictOf(algorithmNamed("popularity").train({ dataset: train, params: {} })),
      test,
    );
    for (const name of ["mf-sgd", "mf-als"]) {
      const model = algorithmNamed(name).train({ dataset: train, params: { factors: 8 } });
      const error = ratingError(predictOf(model), test);
      expect(error.rmse, name).toBeLessThan(baseline.rmse * 0.85);
    }
  });

  it("every algorithm trains, scores every item and ranks at least as well as chance", () => {
    for (const name of Object.keys(algorithms)) {
      const evaluation = evaluate(name, { dataset, params: {} });
      const { model } = evaluation.ranking;
      expect(model.users, name).toBeGreaterThan(0);
      expect(model.ndcg, name).toBeGreaterThanOrEqual(0);
      const trained = algorithmNamed(name).train({ dataset, params: {} });
      const vector = algorithmNamed(name).foldIn(trained, {
        items: Int32Array.of(0, 1, 2, 3, 4, 5),
        values: Float32Array.of(5, 4, 1, 2, 5, 3),
      });
      const scores = scoreAll(trained.scorer, vector);
      expect(scores.length).toBe(dataset.itemIds.length);
      expect(scores.every(Number.isFinite), name).toBe(true);
    }
  });
});

describe.runIf(hasShared)("MovieLens-100k (the issue's targets)", () => {
  const log = new ProblemLog();
  const raw: RawRating[] = [];
  readRatings(readFileSync(sharedData("movielens-100k/u.data")), "u.data", "u.data", log, raw);
  const items = readItems(readFileSync(sharedData("movielens-100k/u.item")), "u.item", "u.item", log);
  const ml = buildDataset(raw, false, items, pseudonymiser(TEST_KEY), log, "u.data");

  it("ingests 100,000 ratings of 943 users and 1,682 films without a problem", () => {
    expect(log.summaries()).toEqual([]);
    expect([ml?.users.length, ml?.userIds.length, ml?.itemIds.length]).toEqual([100_000, 943, 1682]);
  });

  it("MF (SGD) RMSE ≤ 0.93 on the random 80/20 split; EASE NDCG@10 ≥ 1.6× popularity on leave-last-5", {
    timeout: 120_000,
  }, () => {
    if (!ml) throw new Error("no dataset");
    const mf = evaluate("mf-sgd", { dataset: ml, params: {} });
    expect(mf.ratingError?.model.rmse).toBeLessThanOrEqual(0.93);
    const ease = evaluate("ease", { dataset: ml, params: {} });
    expect(ease.ranking.model.ndcg / ease.ranking.popularity.ndcg).toBeGreaterThanOrEqual(1.6);
  });
});
