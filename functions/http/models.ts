import { jsonResponse, services } from "@marquee/core";
import { listModels } from "@marquee/core/registry";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("Models", async () => jsonResponse(200, await listModels(services())));
