import { health, jsonResponse, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("Health", async () => jsonResponse(200, health(services())));
