import { InvalidInputError } from "../../errors.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { DEFAULT_EMBEDDING_MODEL, embedTexts } from "../embeddings/index.js";
import { chooseModel } from "../model-choice.js";
import type { TaskContext } from "../types.js";
import { encodeCatalog } from "./catalog-index.js";
import type { CatalogInfo } from "./catalog-schemas.js";

export type CatalogItem = { id: string } & Record<string, unknown>;

/** Used when a build names no text fields: the first of these that the items have. */
const USUAL_TEXT_FIELDS = ["title", "name", "text", "extract", "description", "plot", "overview", "summary"];
const EMBED_CHUNK = 256;

export function fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value))
    return value.filter((part) => typeof part === "string" || typeof part === "number").join(", ");
  return "";
}

/** Items with string ids, unique; a duplicate or missing id is an input error naming the item. */
export function normaliseItems(raw: ReadonlyArray<Record<string, unknown>>): CatalogItem[] {
  const seen = new Set<string>();
  return raw.map((item, index) => {
    const id = item.id;
    if ((typeof id !== "string" || id === "") && typeof id !== "number") {
      throw new InvalidInputError(`items[${index}].id: must be a non-empty string or a number`);
    }
    const key = String(id);
    if (seen.has(key))
      throw new InvalidInputError(`items[${index}].id: duplicate id ${JSON.stringify(key.slice(0, 80))}`);
    seen.add(key);
    return { ...item, id: key };
  });
}

export function chooseTextFields(
  items: readonly CatalogItem[],
  requested: readonly string[] | undefined,
): string[] {
  if (requested) return [...requested];
  const present = USUAL_TEXT_FIELDS.filter((field) => items.some((item) => fieldText(item[field]) !== ""));
  if (present.length === 0) {
    throw new InvalidInputError(
      `textFields: none given and the items have none of ${USUAL_TEXT_FIELDS.join(", ")}`,
    );
  }
  return present;
}

export const itemText = (item: CatalogItem, fields: readonly string[]) =>
  fields
    .map((field) => fieldText(item[field]))
    .filter(Boolean)
    .join("\n");

export async function embedItems(
  items: readonly CatalogItem[],
  fields: readonly string[],
  entry: ModelEntry,
  context: TaskContext,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let at = 0; at < items.length; at += EMBED_CHUNK) {
    const texts = items.slice(at, at + EMBED_CHUNK).map((item) => itemText(item, fields));
    vectors.push(...(await embedTexts(texts, entry, context)).vectors);
  }
  return vectors;
}

export const catalogModel = (requested: string | undefined, context: TaskContext) =>
  chooseModel(DEFAULT_EMBEDDING_MODEL, requested, context.models);

/** The index of a catalogue: embeddings of each item's text fields plus a BM25 index over them. */
export function indexCatalog(
  name: string,
  items: readonly CatalogItem[],
  vectors: readonly Float32Array[],
  fields: readonly string[],
  entry: ModelEntry,
): { info: Omit<CatalogInfo, "version" | "indexBytes">; bytes: Uint8Array } {
  const dimensions = vectors[0]?.length ?? 0;
  const builtAt = new Date().toISOString();
  const model = { id: entry.id, version: entry.version };
  const bytes = encodeCatalog({ items, vectors, fields, model, builtAt, fieldText });
  return { info: { name, size: items.length, textFields: [...fields], model, dimensions, builtAt }, bytes };
}
