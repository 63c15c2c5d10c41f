import { assertJobId, jsonResponse, reprocessJob, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint(
  "JobReprocess",
  (event) => assertJobId(event.pathParameters?.job ?? ""),
  async (job) => jsonResponse(202, await reprocessJob(job, services())),
);
