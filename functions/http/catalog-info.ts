import { catalogInfoOf, jsonResponse, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("CatalogInfo", async (_input, event) =>
  jsonResponse(200, await catalogInfoOf(event.pathParameters?.name ?? "", services())),
);
