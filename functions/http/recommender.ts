import { jsonResponse, recommenderInfoOf, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("Recommender", async (_input, event) =>
  jsonResponse(200, await recommenderInfoOf(event.pathParameters?.name ?? "", services())),
);
