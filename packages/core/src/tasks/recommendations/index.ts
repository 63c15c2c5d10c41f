/**
 * recommendations: the top k items for a user of a trained recommender (`POST /v1/recommendations`).
 *
 * Input: `{ recommender, user?, ratings?: [{item, rating}], k? (1–100, 10), exclude_seen? (true),
 * filters?: {genre}, explain? }`. A known user (their id as uploaded: it is pseudonymised with the same key
 * as at training) gets their stored vector; `ratings` — a new user's few, or a known user's newest — are
 * folded in by the algorithm's own fold-in. Item ids are returned as uploaded.
 *
 * Output example:
 * { "items": [{ "item": "50", "score": 0.8123, "title": "Star Wars", "reason": "because of Return of the Jedi" }],
 *   "model": { "id": "recommender/ml100k-ease", "version": "3f9c0a7e1b2d4c56" },
 *   "models": [{ "id": "recommender/ml100k-ease", "version": "3f9c0a7e1b2d4c56" }],
 *   "timings": { "preprocess": 0.2, "inference": 0.9, "postprocess": 0.01 } }
 */
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { bounded, requestBody, z } from "../../schema.js";
import { defineTask, resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import {
  genreAllowed,
  historyOfRow,
  itemIndexOf,
  loadRecommender,
  mergedHistory,
  reasonFor,
  recommenderEntry,
  shownItems,
  topItems,
  vectorFor,
} from "./recommender.js";
import { type ItemListResult, itemListResult, recommenderName } from "./schemas.js";

const body = requestBody({
  recommender: recommenderName,
  user: z.string().min(1).max(200).optional().describe("A user id as it was in the training data"),
  ratings: z
    .array(z.object({ item: z.string().min(1).max(200), rating: z.number().finite() }))
    .max(1000)
    .optional()
    .describe("Ratings to fold in: a new user's, or a known user's newest"),
  k: bounded(1, 100, { integer: true }).default(10),
  exclude_seen: z.boolean().default(true),
  filters: z
    .strictObject({ genre: z.union([z.string(), z.array(z.string()).max(20)]).optional() })
    .optional(),
  explain: z.boolean().default(false),
}).meta({ id: "RecommendationsRequest" });

const result = itemListResult("RecommendationsResponse");

type Result = ItemListResult & TaskResult;

async function run(input: z.output<typeof body>, context: TaskContext): Promise<Result> {
  if (input.user === undefined && (input.ratings ?? []).length === 0) {
    throw new InvalidInputError("Give a user, or ratings for a new user (or both)");
  }
  const entry = await recommenderEntry(input.recommender, context);
  const loaded = await loadRecommender(entry, context.models);
  const prepared = await context.timings.measure("preprocess", () => {
    let row: number | undefined;
    if (input.user !== undefined) {
      if (!context.pseudonym) throw new InvalidInputError("user: this deployment has no pseudonym key");
      row = loaded.userRow.get(context.pseudonym(input.user));
      if (row === undefined) {
        throw new NotFoundError(
          `Recommender "${input.recommender}" has no user "${input.user.slice(0, 64)}"`,
        );
      }
    }
    const extra = (input.ratings ?? []).map(({ item, rating }) => ({
      item: itemIndexOf(loaded, item),
      value: rating,
    }));
    const stored =
      row === undefined
        ? { items: new Int32Array(), values: new Float32Array() }
        : historyOfRow(loaded.state, row);
    const history = extra.length > 0 ? mergedHistory(stored, extra) : stored;
    const vector = vectorFor(loaded, history, row, extra.length > 0);
    const seen = new Set(history.items);
    const genres = input.filters?.genre;
    const allowed = genreAllowed(loaded, typeof genres === "string" ? [genres] : genres);
    const excluded = (item: number) => (input.exclude_seen && seen.has(item)) || !allowed(item);
    return { history, vector, excluded };
  });
  const top = await topItems(entry, loaded, prepared.vector, prepared.excluded, input.k, context);
  const items = await context.timings.measure("postprocess", () =>
    shownItems(
      loaded,
      top,
      input.explain ? (index) => reasonFor(loaded, prepared.history, index) : undefined,
    ),
  );
  return { items, model: { id: entry.id, version: entry.version }, ...resultEnvelope(context, [entry]) };
}

export const recommendationsTask = defineTask({
  id: "recommendations",
  description: "Top-k items for a user of a trained recommender (known user, or ratings folded in).",
  input: "json",
  body,
  result,
  defaultModels: {},
  example: {
    request: { recommender: "ml100k-ease", user: "196", k: 3, explain: true },
    response: {
      items: [{ item: "50", score: 0.8123, title: "Star Wars", reason: "because of Return of the Jedi" }],
      model: { id: "recommender/ml100k-ease", version: "3f9c0a7e1b2d4c56" },
      models: [{ id: "recommender/ml100k-ease", version: "3f9c0a7e1b2d4c56" }],
      timings: { preprocess: 0.2, inference: 0.9, postprocess: 0.01 },
    },
  },
  run,
  // Recommenders are trained at run time: there is no default model to warm.
  warm: async () => undefined,
});
