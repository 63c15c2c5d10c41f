import { assertJobId, jsonResponse, listJobResults, parseJobResultsQuery, services } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint(
  "JobResults",
  (event) => ({
    job: assertJobId(event.pathParameters?.job ?? ""),
    query: parseJobResultsQuery(event.queryStringParameters),
  }),
  async ({ job, query }) => jsonResponse(200, await listJobResults(job, query, services())),
);
