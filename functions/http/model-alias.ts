import { jsonResponse, moveModelAlias, parseJsonBody, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("ModelAlias", parseJsonBody, async (body, event) => {
  const { family = "", name = "", alias = "" } = event.pathParameters ?? {};
  return jsonResponse(200, await moveModelAlias(family, name, alias, body, services()));
});
