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

/** An id from a template such as "{title} ({year})" over an item's fields. */
export const idFrom = (template: string, item: Record<string, unknown>) =>
  template.replace(/\{(\w+)\}/g, (_, field: string) => fieldText(item[field]));

/**
 * Items with string ids (from `id`, or from `idTemplate` when given), unique. Items with a missing or
 * repeated id are returned as problems by index; `strict` throws on the first instead.
 */
export function normaliseItems(
  raw: ReadonlyArray<Record<string, unknown>>,
  options: { idTemplate?: string; strict?: boolean } = {},
): { items: CatalogItem[]; problems: Array<{ index: number; message: string }> } {
  const seen = new Set<string>();
  const items: CatalogItem[] = [];
  const problems: Array<{ index: number; message: string }> = [];
  raw.forEach((item, index) => {
    const id = options.idTemplate ? idFrom(options.idTemplate, item) : item.id;
    let message: string | undefined;
    if ((typeof id !== "string" || id === "") && typeof id !== "number") {
      message = `items[${index}].id: must be a non-empty string or a number`;
    } else if (seen.has(String(id))) {
      message = `items[${index}].id: duplicate id ${JSON.stringify(String(id).slice(0, 80))}`;
    }
    if (message && options.strict) throw new InvalidInputError(message);
    if (message) problems.push({ index, message });
    else {
      seen.add(String(id));
      items.push({ ...item, id: String(id) });
    }
  });
  return { items, problems };
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
