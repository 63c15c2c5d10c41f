/**
 * Content-based: each item is a feature vector — its genres (one-hot, L2-normalised) and, when given, an
 * embedding of its text (a plot extract, through the embeddings task), weighted and concatenated. A user is
 * the sum of the features of what they rated, weighted by how far each rating is from their mean (implicit
 * data: by the weight); the score is the dot product with each item's features.
 */
import { globalMean, type RatingsDataset } from "../dataset.js";
import { byUser } from "../sparse.js";
import {
  type History,
  numberParam,
  type Params,
  type RecommenderState,
  type TrainedRecommender,
} from "./types.js";

export const CONTENT_DEFAULTS = { genreWeight: 0.5, textWeight: 1 };

/** Item text embeddings, row-major [items, dims], with a 0 row for items without text. */
export interface ItemEmbeddings {
  vectors: Float32Array;
  dims: number;
  /** Items that have a text. */
  covered: number;
}

function normalise(values: Float32Array, start: number, length: number, weight: number): void {
  let squares = 0;
  for (let d = 0; d < length; d++) squares += (values[start + d] as number) ** 2;
  if (squares === 0) return;
  const scale = weight / Math.sqrt(squares);
  for (let d = 0; d < length; d++) values[start + d] = (values[start + d] as number) * scale;
}

export function contentVector(state: RecommenderState, history: History): Float32Array {
  const { dims, items, matrix } = state.scorer;
  const vector = new Float32Array(dims);
  if (history.items.length === 0) return vector;
  let sum = 0;
  for (const value of history.values) sum += value;
  const mean = sum / history.items.length;
  const implicit = state.params.implicit === true;
  history.items.forEach((item, t) => {
    const weight = implicit ? (history.values[t] as number) : (history.values[t] as number) - mean + 0.5;
    for (let d = 0; d < dims; d++)
      vector[d] = (vector[d] as number) + weight * (matrix[d * items + item] as number);
  });
  normalise(vector, 0, dims, 1);
  return vector;
}

export function trainContent(
  dataset: RatingsDataset,
  params: Params,
  embeddings?: ItemEmbeddings,
): TrainedRecommender {
  const metadata = dataset.metadata;
  if (!metadata) throw new RangeError("content-based recommenders need item metadata (u.item or movies.dat)");
  const genreWeight = numberParam(params, "genreWeight", CONTENT_DEFAULTS.genreWeight, 0, 10);
  const textWeight = numberParam(params, "textWeight", CONTENT_DEFAULTS.textWeight, 0, 10);
  const genres = metadata.genreNames.length;
  const text = embeddings && textWeight > 0 ? embeddings.dims : 0;
  const dims = genres + text;
  const items = dataset.itemIds.length;
  const features = new Float32Array(items * dims);
  for (let i = 0; i < items; i++) {
    for (let g = 0; g < genres; g++) features[i * dims + g] = metadata.genres[i * genres + g] as number;
    normalise(features, i * dims, genres, genreWeight);
    if (text > 0 && embeddings) {
      features.set(embeddings.vectors.subarray(i * text, (i + 1) * text), i * dims + genres);
      normalise(features, i * dims + genres, text, textWeight);
    }
  }
  const matrix = new Float32Array(dims * items);
  for (let i = 0; i < items; i++)
    for (let d = 0; d < dims; d++) matrix[d * items + i] = features[i * dims + d] as number;
  return {
    algorithm: "content",
    params: {
      genreWeight,
      textWeight,
      textDims: text,
      textCovered: embeddings?.covered ?? 0,
      implicit: dataset.implicit,
    },
    scorer: { dims, items, matrix, bias: new Float32Array(items) },
    ratings: byUser(dataset),
    mean: globalMean(dataset),
  };
}
