import { textTask } from "@marquee/core/tasks/text";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("ScreenText", textTask);
