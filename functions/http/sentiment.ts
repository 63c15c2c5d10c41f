import { sentimentTask } from "@marquee/core/tasks/sentiment";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Sentiment", sentimentTask);
