import { health, jsonResponse, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint(async () => jsonResponse(200, health(services())), { auth: false });
