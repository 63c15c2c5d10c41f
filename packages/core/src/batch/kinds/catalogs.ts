import { InvalidInputError, isInputError, PayloadTooLargeError, publicError } from "../../errors.js";
import { taskContext } from "../../operations/inference.js";
import { parseWith } from "../../schema.js";
import type { Services } from "../../services.js";
import { putJson } from "../../storage/blob-store.js";
import {
  type CatalogItem,
  catalogModel,
  chooseTextFields,
  embedItems,
  indexCatalog,
  normaliseItems,
} from "../../tasks/search/build.js";
import { catalogManifest } from "../../tasks/search/catalog-schemas.js";
import { saveCatalog } from "../../tasks/search/catalog-store.js";
import { resultKeys } from "../keys.js";
import type { UnitOutcome } from "../records.js";
import { jobParts, type RowChunk, rowError, rowUnits } from "./row-chunks.js";
import { currentSources } from "./sources.js";
import type { BatchKind, BatchUnit, SourceContext } from "./types.js";

interface CatalogPart {
  items: CatalogItem[];
  /** Float32 vectors, row after row, base64. */
  vectors: string;
  fields: string[];
  model: { id: string; version: string };
}

/** A JSON array file is read whole (it cannot be streamed row by row): at most this many bytes. */
const MAX_JSON_ARRAY_BYTES = 64 * 1024 * 1024;

async function embedChunk(items: CatalogItem[], manifest: unknown, services: Services) {
  const options = parseWith(catalogManifest, manifest ?? {}, "manifest");
  const context = taskContext(services);
  const entry = await catalogModel(options.model, context);
  const fields = chooseTextFields(items, options.textFields);
  const vectors = await embedItems(items, fields, entry, context);
  const flat = new Float32Array(vectors.reduce((sum, vector) => sum + vector.length, 0));
  let at = 0;
  for (const vector of vectors) {
    flat.set(vector, at);
    at += vector.length;
  }
  const model = { id: entry.id, version: entry.version };
  return {
    part: {
      items,
      vectors: Buffer.from(flat.buffer).toString("base64"),
      fields,
      model,
    } satisfies CatalogPart,
    timings: { ...context.timings.toJSON(), modelMs: context.timings.modelMs },
    model,
  };
}

async function rowsChunk(chunk: RowChunk, context: SourceContext) {
  const errors = chunk.errors.map(rowError);
  const { idTemplate } = parseWith(catalogManifest, context.manifest ?? {}, "manifest");
  const { items, problems } = normaliseItems(
    chunk.rows.map((row) => row.fields),
    idTemplate === undefined ? {} : { idTemplate },
  );
  for (const problem of problems) {
    const row = chunk.rows[problem.index];
    errors.push({
      item: `row ${row?.index ?? problem.index}`,
      code: "invalid_input",
      message: problem.message.replace(/^items\[\d+\]\./, ""),
      ...(row && row.line > 0 && { line: row.line }),
    });
  }
  const outcome: UnitOutcome = { ok: 0, failed: errors.length, errors, models: [], timings: {} };
  if (items.length === 0) return { outcome, extra: undefined };
  const { part, timings, model } = await embedChunk(items, context.manifest, context.services);
  return { outcome: { ...outcome, ok: items.length, models: [model], timings }, extra: part };
}

async function* jsonArrayUnits(context: SourceContext): AsyncIterable<BatchUnit> {
  const { item, name, services } = context;
  yield {
    name,
    process: async () => {
      try {
        if (item.size > MAX_JSON_ARRAY_BYTES) {
          throw new PayloadTooLargeError(
            `A JSON array is read whole: at most ${MAX_JSON_ARRAY_BYTES} bytes; use JSONL`,
          );
        }
        const blob = await services.media.get(item.key);
        const parsed: unknown = JSON.parse(new TextDecoder().decode(blob?.bytes ?? new Uint8Array()));
        if (!Array.isArray(parsed))
          throw new InvalidInputError("A .json catalogue must be an array of items");
        const rows = parsed.map((value, index) => ({ kind: "row" as const, index, line: 0, fields: value }));
        const { outcome, extra } = await rowsChunk({ index: 0, rows, errors: [] }, context);
        if (extra) {
          const key = resultKeys.part(context.job, name, context.source.etag, 0);
          await putJson(services.results, key, { source: item.key, chunk: 0, outcome, extra });
        }
        return outcome;
      } catch (error) {
        if (!isInputError(error) && !(error instanceof SyntaxError)) throw error;
        const details =
          error instanceof SyntaxError
            ? { code: "invalid_input", message: "Not valid JSON" }
            : publicError(error);
        return { ok: 0, failed: 1, errors: [{ item: name, ...details }], models: [], timings: {} };
      }
    },
  };
}

/**
 * Catalogue items (JSON array, JSONL or CSV with an `id` column) under uploads/catalogs/<name>/ ->
 * embedded in chunks; when every upload is processed, the catalogue <name> is (re)built from all of them.
 */
export const catalogsKind: BatchKind = {
  id: "catalogs",
  expand: (context) =>
    /\.json$/i.test(context.name)
      ? jsonArrayUnits(context)
      : rowUnits<CatalogPart | undefined>(
          context,
          { required: ["id"], aliases: {}, maxFieldChars: 100_000 },
          (chunk) => rowsChunk(chunk, context),
        ),
  async finalize(job, services) {
    const items: CatalogItem[] = [];
    const vectors: Float32Array[] = [];
    let fields: string[] = [];
    let model: CatalogPart["model"] | undefined;
    for await (const part of jobParts<CatalogPart | undefined>(
      job,
      services,
      await currentSources(job, services),
    )) {
      if (!part.extra) continue;
      const flat = new Float32Array(new Uint8Array(Buffer.from(part.extra.vectors, "base64")).buffer);
      const width = part.extra.items.length > 0 ? flat.length / part.extra.items.length : 0;
      part.extra.items.forEach((item, index) => {
        items.push(item);
        vectors.push(flat.slice(index * width, (index + 1) * width));
      });
      fields = part.extra.fields;
      model = part.extra.model;
    }
    if (!model || items.length === 0) return [];
    // The same id in two uploads: the first (in upload key order) is kept.
    const seen = new Set<string>();
    const keep = items.map((item) => !seen.has(item.id) && Boolean(seen.add(item.id)));
    const entry = await services.registry.resolve(model.id);
    const { info, bytes } = indexCatalog(
      job,
      items.filter((_, index) => keep[index]),
      vectors.filter((_, index) => keep[index]),
      fields,
      entry,
    );
    const saved = await saveCatalog(services.results, info, bytes);
    return [`results/catalogs/${saved.name}/catalog.json`];
  },
};
