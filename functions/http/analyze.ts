import { analyzeTask } from "@marquee/core/tasks/analyze";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Analyze", analyzeTask);
