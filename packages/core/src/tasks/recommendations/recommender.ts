/**
 * A trained recommender as serving holds it: the version's recommender.json and state.bin decoded once
 * per version, ids indexed; a user's vector from their stored row or folded in from given ratings; the
 * candidates' mask; and the top k through the version's ONNX graph on the shared runtime.
 */
import { InvalidInputError, NotFoundError } from "../../errors.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { EXCLUDED_SCORE } from "../../onnx-export/top-k.js";
import { perModel } from "../../text/model-files.js";
import { algorithmNamed, userVectorOf } from "../../training/ratings/algorithms/index.js";
import type { History, RecommenderState } from "../../training/ratings/algorithms/types.js";
import { rowRange } from "../../training/ratings/sparse.js";
import { decodeState, type RecommenderFile } from "../../training/ratings/state-codec.js";
import type { TaskContext } from "../types.js";

export const RECOMMENDER_NAME = /^[A-Za-z0-9][\w.-]{0,62}$/;
export const recommenderModelId = (name: string) => `recommender/${name}`;

export interface LoadedRecommender {
  file: RecommenderFile;
  state: RecommenderState;
  userRow: Map<string, number>;
  itemIndex: Map<string, number>;
}

export const loadRecommender = perModel(async (entry, models): Promise<LoadedRecommender> => {
  const [json, bin] = await Promise.all([
    models.file(entry, "recommender.json"),
    models.file(entry, "state.bin"),
  ]);
  const file = JSON.parse(new TextDecoder().decode(json)) as RecommenderFile;
  return {
    file,
    state: decodeState(file, bin),
    userRow: new Map(file.userIds.map((id, row) => [id, row])),
    itemIndex: new Map(file.itemIds.map((id, index) => [id, index])),
  };
});

/** The recommender's current default version (the alias, checked within its TTL); 404 when there is none. */
export async function recommenderEntry(name: string, context: TaskContext): Promise<ModelEntry> {
  const entry = await context.models.resolve(recommenderModelId(name)).catch(() => undefined);
  if (entry?.format !== "marquee-recommender") {
    throw new NotFoundError(`No recommender "${name}": train one with POST /v1/training-jobs`);
  }
  return entry;
}

export function itemIndexOf(loaded: LoadedRecommender, item: string): number {
  const index = loaded.itemIndex.get(item);
  if (index === undefined) throw new NotFoundError(`Recommender has no item "${item.slice(0, 64)}"`);
  return index;
}

export function historyOfRow(state: RecommenderState, row: number): History {
  const [from, to] = rowRange(state.ratings, row);
  return { items: state.ratings.indices.slice(from, to), values: state.ratings.values.slice(from, to) };
}

/** A history with `extra` ratings merged in (a given rating replaces a stored one of the same item). */
export function mergedHistory(base: History, extra: ReadonlyArray<{ item: number; value: number }>): History {
  const values = new Map<number, number>();
  base.items.forEach((item, at) => {
    values.set(item, base.values[at] as number);
  });
  for (const { item, value } of extra) values.set(item, value);
  const items = Int32Array.from([...values.keys()].sort((a, b) => a - b));
  return { items, values: Float32Array.from(items, (item) => values.get(item) as number) };
}

export function vectorFor(
  loaded: LoadedRecommender,
  history: History,
  row: number | undefined,
  changed: boolean,
) {
  if (row !== undefined && !changed) return userVectorOf(loaded.state, row, history);
  return algorithmNamed(loaded.state.algorithm).foldIn(loaded.state, history);
}

/** Items whose genres include one of `genres` (by name, case-insensitive); all items without a filter. */
export function genreAllowed(loaded: LoadedRecommender, genres: readonly string[] | undefined) {
  if (!genres || genres.length === 0) return () => true;
  const names = (loaded.file.genreNames ?? []).map((name) => name.toLowerCase());
  const wanted = new Set(
    genres.map((genre) => {
      const at = names.indexOf(genre.toLowerCase());
      if (at < 0) {
        throw new InvalidInputError(
          `filters.genre: "${genre.slice(0, 40)}" is not a genre of this recommender (${names.join(", ") || "it has none"})`,
        );
      }
      return at;
    }),
  );
  return (item: number) => (loaded.file.itemGenres?.[item] ?? []).some((g) => wanted.has(g));
}

/** The top k candidates for one vector through the version's ONNX graph; excluded items never come out. */
export async function topItems(
  entry: ModelEntry,
  loaded: LoadedRecommender,
  vector: Float32Array,
  excluded: (item: number) => boolean,
  k: number,
  context: TaskContext,
): Promise<Array<{ index: number; score: number }>> {
  const items = loaded.file.items;
  const mask = new Float32Array(items);
  for (let item = 0; item < items; item++) if (excluded(item)) mask[item] = 1;
  const result = await context.timings.measure("inference", () =>
    context.runtime.run(entry, {
      user_vector: { type: "float32", data: vector, dims: [1, vector.length] },
      seen_mask: { type: "float32", data: mask, dims: [1, items] },
      k: { type: "int64", data: BigInt64Array.of(BigInt(Math.min(k, items))), dims: [1] },
    }),
  );
  context.timings.modelMs += result.modelMs;
  const scores = result.outputs.scores?.data as Float32Array;
  const indices = result.outputs.indices?.data as BigInt64Array;
  const out: Array<{ index: number; score: number }> = [];
  scores.forEach((score, at) => {
    if (score > EXCLUDED_SCORE / 2) out.push({ index: Number(indices[at]), score });
  });
  return out;
}

/** Why an item came up: the history item that contributes most to it, for item-item models. */
export function reasonFor(loaded: LoadedRecommender, history: History, item: number): string {
  const { state, file } = loaded;
  const name = (index: number) => file.titles?.[index] || file.itemIds[index];
  if (state.scorer.dims === state.scorer.items && history.items.length > 0) {
    let best = -1;
    let strongest = 0;
    history.items.forEach((rated) => {
      const weight = state.scorer.matrix[rated * state.scorer.items + item] as number;
      if (weight > strongest) [best, strongest] = [rated, weight];
    });
    if (best >= 0) return `because of ${name(best)}`;
  }
  if (state.algorithm === "popularity") return "popular with everyone";
  return "liked by users with similar ratings";
}

/** The top items as answered: ids as uploaded, scores to 6 decimals, titles, and reasons when asked. */
export function shownItems(
  loaded: LoadedRecommender,
  top: ReadonlyArray<{ index: number; score: number }>,
  reason?: (index: number) => string,
) {
  return top.map(({ index, score }) => ({
    item: loaded.file.itemIds[index] as string,
    score: Math.round(score * 1e6) / 1e6,
    ...(loaded.file.titles?.[index] && { title: loaded.file.titles[index] }),
    ...(reason && { reason: reason(index) }),
  }));
}

/** The highest rating in the training data (a loop: a million ratings overflow a spread). */
export function highestRating(loaded: LoadedRecommender): number {
  let highest = Number.NEGATIVE_INFINITY;
  for (const value of loaded.state.ratings.values) if (value > highest) highest = value;
  return Number.isFinite(highest) ? highest : 1;
}
