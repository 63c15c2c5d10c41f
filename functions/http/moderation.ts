import { moderationTask } from "@marquee/core/tasks/moderation";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Moderation", moderationTask);
