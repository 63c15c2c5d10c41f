import { similarItemsTask } from "@marquee/core/tasks/similar-items";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("SimilarItems", similarItemsTask);
