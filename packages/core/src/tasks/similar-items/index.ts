/**
 * similar-items: items that go with one item in a trained recommender (`POST /v1/similar-items`): the top k
 * for a user whose only rating is that item, folded in by the algorithm's own fold-in (for EASE and
 * item-based CF, the item's row of the item-item matrix), the item itself excluded.
 *
 * Input: `{ recommender, item, k? (1–100, 10) }`.
 * Output example:
 * { "items": [{ "item": "172", "score": 0.4210, "title": "Empire Strikes Back, The" }],
 *   "model": { "id": "recommender/ml100k-ease", "version": "3f9c0a7e1b2d4c56" }, "models": […], "timings": {…} }
 */
import { bounded, requestBody, z } from "../../schema.js";
import {
  highestRating,
  itemIndexOf,
  loadRecommender,
  recommenderEntry,
  shownItems,
  topItems,
  vectorFor,
} from "../recommendations/recommender.js";
import { type ItemListResult, itemListResult, recommenderName } from "../recommendations/schemas.js";
import { defineTask, resultEnvelope, type TaskContext, type TaskResult } from "../types.js";

const body = requestBody({
  recommender: recommenderName,
  item: z.string().min(1).max(200).describe("An item id as uploaded"),
  k: bounded(1, 100, { integer: true }).default(10),
}).meta({ id: "SimilarItemsRequest" });

const result = itemListResult("SimilarItemsResponse");

type Result = ItemListResult & TaskResult;

async function run(input: z.output<typeof body>, context: TaskContext): Promise<Result> {
  const entry = await recommenderEntry(input.recommender, context);
  const loaded = await loadRecommender(entry, context.models);
  const item = itemIndexOf(loaded, input.item);
  const top = loaded.file.implicit ? 1 : highestRating(loaded);
  const history = { items: Int32Array.of(item), values: Float32Array.of(top) };
  const vector = await context.timings.measure("preprocess", () =>
    vectorFor(loaded, history, undefined, true),
  );
  const found = await topItems(entry, loaded, vector, (candidate) => candidate === item, input.k, context);
  const items = shownItems(loaded, found);
  return { items, model: { id: entry.id, version: entry.version }, ...resultEnvelope(context, [entry]) };
}

export const similarItemsTask = defineTask({
  id: "similar-items",
  description: "Items that go with an item, in a trained recommender.",
  input: "json",
  body,
  result,
  defaultModels: {},
  example: {
    request: { recommender: "ml100k-ease", item: "50", k: 3 },
    response: {
      items: [{ item: "172", score: 0.421, title: "Empire Strikes Back, The" }],
      model: { id: "recommender/ml100k-ease", version: "3f9c0a7e1b2d4c56" },
      models: [{ id: "recommender/ml100k-ease", version: "3f9c0a7e1b2d4c56" }],
      timings: { preprocess: 0.1, inference: 0.8, postprocess: 0.01 },
    },
  },
  run,
  warm: async () => undefined,
});
