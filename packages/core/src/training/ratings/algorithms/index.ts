/**
 * THE recommender algorithms: name → how to train it and how to turn a user's history into its vector
 * (the same function at evaluation and at serving). Frozen; add an algorithm here and nowhere else.
 */
import type { RatingsDataset } from "../dataset.js";
import { contentVector, type ItemEmbeddings, trainContent } from "./content.js";
import { trainEase } from "./ease.js";
import { explicitFoldIn, trainMfAls, trainMfSgd, trainWals, walsFoldIn } from "./factors.js";
import { combineHybrid, HYBRID_DEFAULTS, hybridVector } from "./hybrid.js";
import { binaryVector, pearsonVector, trainItemCf, trainUserCf } from "./neighbours.js";
import { trainPopularity } from "./popularity.js";
import type { History, Params, RecommenderState, TrainedRecommender } from "./types.js";

export interface TrainingInputs {
  dataset: RatingsDataset;
  params: Params;
  embeddings?: ItemEmbeddings;
}

export interface Algorithm {
  description: string;
  /** Whether it predicts ratings (RMSE / MAE are reported) — only for explicit data. */
  predictsRatings: boolean;
  needsMetadata: boolean;
  train(inputs: TrainingInputs): TrainedRecommender;
  foldIn(state: RecommenderState, history: History): Float32Array;
}

const COLLABORATIVE_FOR_HYBRID = ["ease", "item-cf", "wals"];

export const algorithms: Readonly<Record<string, Algorithm>> = Object.freeze({
  popularity: {
    description: "Most rated items (the baseline)",
    predictsRatings: true,
    needsMetadata: false,
    train: ({ dataset }) => trainPopularity(dataset),
    foldIn: () => Float32Array.of(1),
  },
  "item-cf": {
    description: "Item-based collaborative filtering: adjusted cosine or cosine, top-N neighbours, shrinkage",
    predictsRatings: true,
    needsMetadata: false,
    train: ({ dataset, params }) => trainItemCf(dataset, params),
    foldIn: binaryVector,
  },
  "user-cf": {
    description: "User-based collaborative filtering: Pearson, top-N neighbours, shrinkage",
    predictsRatings: true,
    needsMetadata: false,
    train: ({ dataset, params }) => trainUserCf(dataset, params),
    foldIn: pearsonVector,
  },
  "mf-sgd": {
    description: "Matrix factorisation with biases, stochastic gradient descent",
    predictsRatings: true,
    needsMetadata: false,
    train: ({ dataset, params }) => trainMfSgd(dataset, params),
    foldIn: explicitFoldIn,
  },
  "mf-als": {
    description: "Matrix factorisation with biases, alternating least squares",
    predictsRatings: true,
    needsMetadata: false,
    train: ({ dataset, params }) => trainMfAls(dataset, params),
    foldIn: explicitFoldIn,
  },
  wals: {
    description: "Implicit-feedback ranker: weighted alternating least squares (Hu, Koren & Volinsky)",
    predictsRatings: false,
    needsMetadata: false,
    train: ({ dataset, params }) => trainWals(dataset, params),
    foldIn: walsFoldIn,
  },
  ease: {
    description: "EASE (Steck 2019): closed-form item-item model",
    predictsRatings: false,
    needsMetadata: false,
    train: ({ dataset, params }) => trainEase(dataset, params),
    foldIn: binaryVector,
  },
  content: {
    description: "Content-based: genres and plot-text embeddings of the items",
    predictsRatings: false,
    needsMetadata: true,
    train: ({ dataset, params, embeddings }) => trainContent(dataset, params, embeddings),
    foldIn: contentVector,
  },
  hybrid: {
    description:
      "Weighted blend of a collaborative model and content; content + popularity for short histories",
    predictsRatings: false,
    needsMetadata: true,
    train: ({ dataset, params, embeddings }) => {
      const collaborative = String(params.collaborative ?? HYBRID_DEFAULTS.collaborative);
      if (!COLLABORATIVE_FOR_HYBRID.includes(collaborative)) {
        throw new RangeError(`parameter collaborative must be one of ${COLLABORATIVE_FOR_HYBRID.join(", ")}`);
      }
      const parts = [collaborative, "content", "popularity"].map((name) => {
        const algorithm = algorithmNamed(name);
        const prefix = `${name}.`;
        const own = Object.fromEntries(
          Object.entries(params)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
        );
        return { state: algorithm.train({ dataset, params: own, embeddings }), foldIn: algorithm.foldIn };
      });
      return combineHybrid(dataset, { ...params, collaborative }, parts);
    },
    foldIn: (state, history) =>
      hybridVector(state, history, (part, h) => algorithmNamed(part.algorithm).foldIn(part, h)),
  },
});

export function algorithmNamed(name: string): Algorithm {
  const algorithm = Object.hasOwn(algorithms, name) ? algorithms[name] : undefined;
  if (!algorithm)
    throw new RangeError(`unknown algorithm "${name}"; one of ${Object.keys(algorithms).join(", ")}`);
  return algorithm;
}

/** A known user's vector: their stored factors when the model has them, else their history folded in. */
export function userVectorOf(state: RecommenderState, user: number, history: History): Float32Array {
  const { userFactors, scorer } = state;
  if (userFactors && userFactors.length === state.ratings.rows * scorer.dims) {
    return userFactors.subarray(user * scorer.dims, (user + 1) * scorer.dims);
  }
  return algorithmNamed(state.algorithm).foldIn(state, history);
}
