import { createUpload, jsonResponse, parseJsonBody, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("Uploads", async (event) =>
  jsonResponse(201, await createUpload(parseJsonBody(event), services())),
);
