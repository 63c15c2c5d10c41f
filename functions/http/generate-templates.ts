import { jsonResponse } from "@marquee/core";
import { listTemplates } from "@marquee/core/generate-templates";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("GenerateTemplates", async () => jsonResponse(200, listTemplates()));
