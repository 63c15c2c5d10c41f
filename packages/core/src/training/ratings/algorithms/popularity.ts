/** The baseline: items by how many users rated them (a damped mean rating predicts ratings). */
import { countsOf, globalMean, type RatingsDataset } from "../dataset.js";
import { byUser } from "../sparse.js";
import type { TrainedRecommender } from "./types.js";

export const DAMPING = 10;

export function trainPopularity(dataset: RatingsDataset): TrainedRecommender {
  const counts = countsOf(dataset, "items");
  const items = dataset.itemIds.length;
  const mean = globalMean(dataset);
  const sums = new Float64Array(items);
  for (let r = 0; r < dataset.items.length; r++) {
    const item = dataset.items[r] as number;
    sums[item] = (sums[item] as number) + (dataset.ratings[r] as number);
  }
  const damped = Float64Array.from(
    sums,
    (sum, i) => (sum + DAMPING * mean) / ((counts[i] as number) + DAMPING),
  );
  const total = Math.max(1, dataset.users.length);
  return {
    algorithm: "popularity",
    params: {},
    scorer: {
      dims: 1,
      items,
      matrix: Float32Array.from(counts, (count) => count / total),
      bias: new Float32Array(items),
    },
    ratings: byUser(dataset),
    mean,
    predict: (_user, item) => damped[item] as number,
  };
}
