import { catalog } from "../model-store/catalog.js";
import type { Services } from "../services.js";
import { tasks } from "../tasks/index.js";

export async function listModels(services: Services) {
  const defaults = new Set(Object.values(tasks).flatMap((task) => Object.values(task.defaultModels)));
  return {
    models: await Promise.all(
      catalog.map(async (entry) => {
        const installedIn = await services.models.installedIn(entry);
        return {
          id: entry.id,
          task: entry.task,
          version: entry.version,
          description: entry.description,
          licence: entry.licence,
          source: entry.source,
          default: defaults.has(entry.id),
          installed: installedIn !== undefined,
          files: entry.files.map(({ name, sha256, bytes }) => ({ name, sha256, bytes })),
          inputs: entry.inputs,
          outputs: entry.outputs,
          labels: entry.labels,
        };
      }),
    ),
    tasks: Object.values(tasks).map((task) => ({
      id: task.id,
      description: task.description,
      defaultModels: task.defaultModels,
    })),
  };
}

export function health(services: Services) {
  return {
    status: "ok",
    stage: services.config.stage,
    tasks: Object.keys(tasks),
  };
}
