import { embeddingsTask } from "@marquee/core/tasks/embeddings";
import { taskEndpoint } from "../middleware.js";

export const handler = await taskEndpoint("Embeddings", embeddingsTask);
