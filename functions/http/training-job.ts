import { jsonResponse, services, trainingJobStatus } from "@marquee/core";
import { httpEndpoint } from "../middleware.js";

export const handler = httpEndpoint("TrainingJob", async (_input, event) =>
  jsonResponse(200, await trainingJobStatus(event.pathParameters?.id ?? "", services())),
);
