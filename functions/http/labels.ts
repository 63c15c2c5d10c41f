import { labelsTask } from "@marquee/core/tasks/labels";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Labels", labelsTask);
