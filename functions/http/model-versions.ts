import { jsonResponse, listModelVersions, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("ModelVersions", async (_input, event) => {
  const { family = "", name = "" } = event.pathParameters ?? {};
  return jsonResponse(200, await listModelVersions(family, name, services()));
});
