import { jsonResponse, parseJsonBody, services, startTrainingJob } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("TrainingJobs", parseJsonBody, async (body) =>
  jsonResponse(202, await startTrainingJob(body, services())),
);
