import { httpRoutes } from "../routes.js";
import { z } from "../schema.js";
import type { Services } from "../services.js";

/** Liveness; the tasks are those with a route, read from the routing table (no task code loaded). */
export function health(services: Services) {
  return {
    status: "ok",
    stage: services.config.stage,
    tasks: [...new Set(httpRoutes.flatMap((route) => (route.task ? [route.task] : [])))],
  };
}

export const healthResponse = z
  .object({ status: z.literal("ok"), stage: z.string(), tasks: z.array(z.string()) })
  .meta({ id: "Health" });
