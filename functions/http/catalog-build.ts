import { buildCatalog, jsonResponse, parseJsonBody, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("CatalogBuild", parseJsonBody, async (body, event) =>
  jsonResponse(201, await buildCatalog(event.pathParameters?.name ?? "", body, services())),
);
