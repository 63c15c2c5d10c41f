/**
 * search: the k best items of a catalogue for a query.
 *
 * Input: `{ catalog, query, k?, mode?: "hybrid" | "semantic" | "keyword", filters? }`. `semantic` ranks by
 * exact cosine between the query's embedding (the catalogue's own model) and every item; `keyword` by
 * BM25 over the catalogue's text fields; `hybrid` (default) fuses the two rankings by reciprocal rank.
 * `filters` keep items whose field equals the value (or, for a list field such as genres, contains it).
 *
 * Output example:
 * { "results": [{ "id": "Inception", "score": 0.0328, "ranks": { "semantic": 1, "keyword": 2 },
 *                 "item": { "id": "Inception", "title": "Inception", "year": 2010, … } }],
 *   "catalog": { "name": "movies", "version": "3f1c…" }, "mode": "hybrid", "models": […], "timings": {…} }
 */
import { InvalidInputError } from "../../errors.js";
import { bounded, modelRef, requestBody, timingsShape, z } from "../../schema.js";
import { embeddingsTask, embedTexts } from "../embeddings/index.js";
import { defineTask, type ModelRef, resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import { catalogName } from "./catalog-schemas.js";

const filterValue = z.union([z.string(), z.number(), z.boolean()]);

const body = requestBody({
  catalog: catalogName,
  query: z
    .string({ error: "must be a string" })
    .min(1, { error: "must not be empty" })
    .max(1000, { error: "must be at most 1000 characters" }),
  k: bounded(1, 100, { integer: true }).default(10),
  mode: z
    .enum(["hybrid", "semantic", "keyword"], { error: 'must be "hybrid", "semantic" or "keyword"' })
    .default("hybrid"),
  filters: z
    .record(z.string().max(64), z.union([filterValue, z.array(filterValue).min(1).max(50)]), {
      error: "must be an object { field: value | [values] }",
    })
    .optional()
    .describe(
      "Keep items whose field equals the value, or one of the values; list fields match if they contain it",
    ),
}).meta({ id: "SearchRequest" });

const hit = z.object({
  id: z.string(),
  score: z.number().describe("Cosine (semantic), BM25 (keyword) or fused reciprocal-rank score (hybrid)"),
  ranks: z.record(z.string(), z.int()).optional().describe("1-based rank of the item in each ranking"),
  item: z.record(z.string(), z.unknown()),
});
const result = z
  .object({
    results: z.array(hit),
    catalog: z.object({ name: z.string(), version: z.string(), size: z.int() }),
    mode: z.string(),
    models: z.array(modelRef),
    timings: timingsShape,
  })
  .meta({ id: "SearchResponse" });

export type SearchResult = z.output<typeof result> & TaskResult;

async function run(input: z.output<typeof body>, context: TaskContext): Promise<SearchResult> {
  const catalogs = context.catalogs;
  if (!catalogs) throw new InvalidInputError("Search is not available here");
  const { info, index } = await context.timings.measure("decode", () => catalogs.load(input.catalog));
  let allow: Uint8Array | undefined;
  if (input.filters) {
    try {
      allow = await context.timings.measure("preprocess", () => index.allowMask(input.filters ?? {}));
    } catch (error) {
      throw new InvalidInputError(`filters: ${(error as Error).message}`);
    }
  }
  let queryVector: Float32Array | undefined;
  const models: ModelRef[] = [];
  if (input.mode !== "keyword") {
    const entry = await context.models.resolve(info.model.id);
    if (entry.version !== info.model.version) {
      throw new InvalidInputError(
        `Catalogue "${info.name}" was built with ${info.model.id}@${info.model.version}; rebuild it to search semantically`,
      );
    }
    queryVector = (await embedTexts([input.query], entry, context)).vectors[0];
    models.push({ id: entry.id, version: entry.version });
  }
  const ranked = await context.timings.measure("postprocess", () =>
    index.rank(queryVector, input.query, { k: input.k, mode: input.mode, allow }),
  );
  return {
    results: ranked.map((entry) => ({
      id: String(index.items[entry.doc]?.id),
      score: Math.round(entry.score * 1e6) / 1e6,
      ranks: entry.ranks,
      item: index.items[entry.doc] ?? {},
    })),
    catalog: { name: info.name, version: info.version, size: info.size },
    mode: input.mode,
    ...resultEnvelope(context, models),
  };
}

export const searchTask = defineTask({
  id: "search",
  description: "Hybrid (semantic + keyword), semantic or keyword search of a catalogue.",
  input: "json",
  body,
  result,
  defaultModels: {},
  example: {
    request: { catalog: "movies", query: "a heist film with a twist", k: 5, filters: { genres: "Crime" } },
    response: {
      results: [
        {
          id: "Inception",
          score: 0.0328,
          ranks: { semantic: 1, keyword: 2 },
          item: { id: "Inception", title: "Inception", year: 2010 },
        },
      ],
      catalog: { name: "movies", version: "3f1c0a9e8d7b6a55", size: 3665 },
      mode: "hybrid",
      models: [{ id: "embeddings/glove-100d-30k-int8", version: "1.0.0" }],
      timings: { decode: 0.1, preprocess: 0.2, inference: 0.4, postprocess: 3.1 },
    },
  },
  run,
  /** Searching embeds the query: load and run the default embedding model once. */
  warm: (context) => embeddingsTask.warm(context),
});
