import { assertJobId, jsonResponse, NotFoundError, readJobSummary, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint(
  "Jobs",
  (event) => assertJobId(event.pathParameters?.job ?? ""),
  async (job) => {
    const summary = await readJobSummary(job, services());
    if (!summary) throw new NotFoundError(`No job "${job}"`);
    return jsonResponse(200, summary);
  },
);
