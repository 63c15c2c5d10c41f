import { jsonResponse } from "@marquee/core";
import { apiDocument } from "@marquee/core/registry";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("OpenApi", async () => jsonResponse(200, apiDocument()));
