import { createUpload, jsonResponse, parseJsonBody, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("Uploads", parseJsonBody, async (body) =>
  jsonResponse(201, await createUpload(body, services())),
);
