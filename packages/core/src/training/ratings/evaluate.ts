/**
 * Honest evaluation of a recommender, each figure beside the popularity baseline on the same split:
 *   - rating error: a seeded random 80/20 split of the rows; RMSE and MAE on the 20 % (rating predictors);
 *   - ranking: per user, the last `holdOut` ratings in time are held out (users with more ratings than that);
 *     relevant = held-out items rated ≥ `relevantFrom` (implicit data: every held-out item); the user's
 *     training items are excluded from their top k; precision, recall, NDCG, hit rate at k and catalogue
 *     coverage (distinct recommended items over all items).
 */

import { seededRandom, shuffleInPlace } from "../random.js";
import { algorithmNamed, type TrainingInputs, userVectorOf } from "./algorithms/index.js";
import { type RecommenderState, scoreAll, type TrainedRecommender } from "./algorithms/types.js";
import { type RatingsDataset, subsetRows } from "./dataset.js";
import { rowRange } from "./sparse.js";

export interface RatingError {
  rmse: number;
  mae: number;
  testRatings: number;
}

export interface RankingMetrics {
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  hitRate: number;
  coverage: number;
  users: number;
}

export const EVALUATION_DEFAULTS = { testFraction: 0.2, holdOut: 5, relevantFrom: 4, k: 10, seed: 42 };

export function randomSplit(
  dataset: RatingsDataset,
  testFraction: number,
  seed: number,
): { train: RatingsDataset; test: RatingsDataset } {
  const order = shuffleInPlace(
    Int32Array.from(dataset.users, (_, r) => r),
    seededRandom(seed),
  );
  const cut = Math.round(order.length * testFraction);
  const test = order.slice(0, cut).sort();
  const train = order.slice(cut).sort();
  return { train: subsetRows(dataset, train), test: subsetRows(dataset, test) };
}

/** Each user's last `holdOut` rows by time (ties: the later row) into the test part, if they have more. */
export function temporalSplit(
  dataset: RatingsDataset,
  holdOut: number,
): { train: RatingsDataset; test: RatingsDataset } {
  const byUser = new Map<number, number[]>();
  for (let r = 0; r < dataset.users.length; r++) {
    const rows = byUser.get(dataset.users[r] as number);
    if (rows) rows.push(r);
    else byUser.set(dataset.users[r] as number, [r]);
  }
  const inTest = new Uint8Array(dataset.users.length);
  for (const rows of byUser.values()) {
    if (rows.length <= holdOut) continue;
    rows.sort((a, b) => (dataset.timestamps[a] as number) - (dataset.timestamps[b] as number) || a - b);
    for (const r of rows.slice(-holdOut)) inTest[r] = 1;
  }
  const pick = (wanted: number) => Int32Array.from(dataset.users.keys()).filter((r) => inTest[r] === wanted);
  return { train: subsetRows(dataset, pick(0)), test: subsetRows(dataset, pick(1)) };
}

export function ratingError(
  predict: (user: number, item: number) => number,
  test: RatingsDataset,
): RatingError {
  let squares = 0;
  let absolute = 0;
  for (let r = 0; r < test.users.length; r++) {
    const error = (test.ratings[r] as number) - predict(test.users[r] as number, test.items[r] as number);
    squares += error * error;
    absolute += Math.abs(error);
  }
  const n = Math.max(1, test.users.length);
  return { rmse: Math.sqrt(squares / n), mae: absolute / n, testRatings: test.users.length };
}

/** Top `k` item indices of `scores`, skipping `excluded` (best first). */
export function topK(scores: Float32Array, k: number, excluded: (item: number) => boolean): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (excluded(i)) continue;
    const score = scores[i] as number;
    if (best.length === k && score <= (scores[best[k - 1] as number] as number)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && (scores[best[at - 1] as number] as number) < score) {
      best[at] = best[at - 1] as number;
      at--;
    }
    best[at] = i;
  }
  return best;
}

export function rankingMetrics(
  state: RecommenderState,
  test: RatingsDataset,
  relevantFrom: number,
  k: number,
): RankingMetrics {
  const relevant = new Map<number, Set<number>>();
  for (let r = 0; r < test.users.length; r++) {
    if (!test.implicit && (test.ratings[r] as number) < relevantFrom) continue;
    const user = test.users[r] as number;
    const items = relevant.get(user) ?? new Set<number>();
    items.add(test.items[r] as number);
    relevant.set(user, items);
  }
  const recommended = new Set<number>();
  const scores = new Float32Array(state.scorer.items);
  const seen = new Uint8Array(state.scorer.items);
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let hits = 0;
  for (const [user, wanted] of relevant) {
    const [start, end] = rowRange(state.ratings, user);
    const history = {
      items: state.ratings.indices.subarray(start, end),
      values: state.ratings.values.subarray(start, end),
    };
    scoreAll(state.scorer, userVectorOf(state, user, history), scores);
    seen.fill(0);
    for (const item of history.items) seen[item] = 1;
    const top = topK(scores, k, (item) => seen[item] === 1);
    let found = 0;
    let dcg = 0;
    top.forEach((item, rank) => {
      recommended.add(item);
      if (wanted.has(item)) {
        found++;
        dcg += 1 / Math.log2(rank + 2);
      }
    });
    let ideal = 0;
    for (let rank = 0; rank < Math.min(k, wanted.size); rank++) ideal += 1 / Math.log2(rank + 2);
    precision += found / k;
    recall += found / wanted.size;
    ndcg += dcg / ideal;
    if (found > 0) hits++;
  }
  const users = Math.max(1, relevant.size);
  return {
    k,
    precision: precision / users,
    recall: recall / users,
    ndcg: ndcg / users,
    hitRate: hits / users,
    coverage: recommended.size / state.scorer.items,
    users: relevant.size,
  };
}

export interface Evaluation {
  ratingError?: { model: RatingError; popularity: RatingError };
  ranking: { model: RankingMetrics; popularity: RankingMetrics };
  split: typeof EVALUATION_DEFAULTS & {
    ratingTrainRows: number;
    rankingTrainRows: number;
    rankingTestRows: number;
  };
}

/** Trains on each split's training part (and popularity beside it) and measures; `train` is the algorithm's. */
export function evaluate(
  algorithm: string,
  inputs: TrainingInputs,
  options = EVALUATION_DEFAULTS,
): Evaluation {
  const definition = algorithmNamed(algorithm);
  const popularity = algorithmNamed("popularity");
  const { dataset } = inputs;
  let error: Evaluation["ratingError"];
  let ratingTrainRows = 0;
  if (definition.predictsRatings && !dataset.implicit) {
    const { train, test } = randomSplit(dataset, options.testFraction, options.seed);
    ratingTrainRows = train.users.length;
    const model = definition.train({ ...inputs, dataset: train });
    const baseline = popularity.train({ ...inputs, dataset: train });
    error = {
      model: ratingError(model.predict as NonNullable<TrainedRecommender["predict"]>, test),
      popularity: ratingError(baseline.predict as NonNullable<TrainedRecommender["predict"]>, test),
    };
  }
  const { train, test } = temporalSplit(dataset, options.holdOut);
  const model = definition.train({ ...inputs, dataset: train });
  const baseline = popularity.train({ ...inputs, dataset: train });
  return {
    ratingError: error,
    ranking: {
      model: rankingMetrics(model, test, options.relevantFrom, options.k),
      popularity: rankingMetrics(baseline, test, options.relevantFrom, options.k),
    },
    split: {
      ...options,
      ratingTrainRows,
      rankingTrainRows: train.users.length,
      rankingTestRows: test.users.length,
    },
  };
}
