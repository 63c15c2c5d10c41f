import { searchTask } from "@marquee/core/tasks/search";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Search", searchTask);
