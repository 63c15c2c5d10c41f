import { modelId, modelRef, requestBody, z } from "../../schema.js";

export const CATALOG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const MAX_SYNC_ITEMS = 5000;

export const catalogName = z
  .string({ error: "must be a catalogue name" })
  .regex(CATALOG_NAME, { error: "must be 1-128 letters, digits, '.', '_' or '-'" });

const itemId = z.union([z.string().min(1).max(256), z.number()], { error: "must be a string or a number" });

export const catalogItem = z
  .looseObject({ id: itemId })
  .describe(
    "An item: an id, the text fields to index, any other fields (returned with results, usable in filters)",
  );

export const textFieldsSchema = z
  .array(z.string().min(1).max(64), { error: "must be a list of field names" })
  .min(1)
  .max(20)
  .describe('Fields whose text is embedded and keyword-indexed, e.g. ["title", "extract"]');

export const catalogBuildRequest = requestBody({
  items: z.array(catalogItem, { error: "must be an array of items" }).min(1).max(MAX_SYNC_ITEMS),
  textFields: textFieldsSchema.optional(),
  model: modelId.optional(),
}).meta({ id: "CatalogBuildRequest" });

export const catalogInfo = z
  .object({
    name: z.string(),
    version: z.string().describe("Content hash of the index; a rebuild gives a new version"),
    size: z.int(),
    textFields: z.array(z.string()),
    model: modelRef,
    dimensions: z.int(),
    builtAt: z.string(),
    indexBytes: z.int(),
  })
  .meta({ id: "CatalogInfo" });

export type CatalogInfo = z.output<typeof catalogInfo>;

/** `manifest.json` of a catalogue upload job (uploads/catalogs/<name>/manifest.json). */
export const catalogManifest = z.strictObject({
  textFields: textFieldsSchema.optional(),
  model: modelId.optional(),
  idTemplate: z
    .string()
    .max(200)
    .optional()
    .describe('Builds ids for items without one from their fields, e.g. "{title} ({year})"'),
});
