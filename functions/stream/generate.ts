import { generateTask } from "@marquee/core/tasks/generate";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("GenerateStream", generateTask);
