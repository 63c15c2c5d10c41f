import { parseWith } from "../schema.js";
import type { Services } from "../services.js";
import {
  catalogModel,
  chooseTextFields,
  embedItems,
  indexCatalog,
  normaliseItems,
} from "../tasks/search/build.js";
import { type CatalogInfo, catalogBuildRequest, catalogName } from "../tasks/search/catalog-schemas.js";
import { readCatalogInfo, saveCatalog } from "../tasks/search/catalog-store.js";
import { taskContext } from "./inference.js";

/** `POST /v1/catalogs/{name}`: embeds and indexes up to 5,000 items now; larger catalogues go through S3. */
export async function buildCatalog(name: string, body: unknown, services: Services): Promise<CatalogInfo> {
  const catalog = parseWith(catalogName, name, "name");
  const request = parseWith(catalogBuildRequest, body);
  const { items } = normaliseItems(request.items, { strict: true });
  const fields = chooseTextFields(items, request.textFields);
  const context = taskContext(services);
  const entry = await catalogModel(request.model, context);
  const vectors = await embedItems(items, fields, entry, context);
  const { info, bytes } = indexCatalog(catalog, items, vectors, fields, entry);
  return saveCatalog(services.results, info, bytes);
}

export function catalogInfoOf(name: string, services: Services): Promise<CatalogInfo> {
  return readCatalogInfo(services.results, parseWith(catalogName, name, "name"));
}
