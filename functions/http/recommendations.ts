import { recommendationsTask } from "@marquee/core/tasks/recommendations";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Recommendations", recommendationsTask);
