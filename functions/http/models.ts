import { jsonResponse, listModels, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("Models", async () => jsonResponse(200, await listModels(services())));
