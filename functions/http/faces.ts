import { facesTask } from "@marquee/core/tasks/faces";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Faces", facesTask);
