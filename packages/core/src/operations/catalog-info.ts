import { suggestedGenerationModels } from "../model-store/catalog-generation.js";
import { z } from "../schema.js";
import type { Services } from "../services.js";
import { tasks } from "../tasks/index.js";

export async function listModels(services: Services) {
  const defaults = new Set(Object.values(tasks).flatMap((task) => Object.values(task.defaultModels)));
  const entries = await services.registry.list();
  return {
    models: await Promise.all(
      entries.map(async (entry) => {
        const installedIn = await services.models.installedIn(entry);
        return {
          id: entry.id,
          task: entry.task,
          format: entry.format,
          version: entry.version,
          description: entry.description,
          licence: entry.licence,
          source: entry.source,
          origin: entry.origin ?? "catalog",
          default: defaults.has(entry.id),
          installed: installedIn !== undefined,
          files: entry.files.map(({ name, sha256, bytes }) => ({ name, sha256, bytes })),
          inputs: entry.inputs,
          outputs: entry.outputs,
          labels: entry.labels,
        };
      }),
    ),
    suggested: suggestedGenerationModels.map((model) => ({ ...model, installed: false as const })),
    tasks: Object.values(tasks).map((task) => ({
      id: task.id,
      description: task.description,
      defaultModels: task.defaultModels,
    })),
  };
}

const tensor = z.object({
  name: z.string(),
  type: z.string(),
  shape: z.array(z.union([z.number(), z.string()])),
  description: z.string(),
});

export const modelsResponse = z
  .object({
    models: z.array(
      z.object({
        id: z.string(),
        task: z.string(),
        format: z.string(),
        version: z.string(),
        description: z.string(),
        licence: z.string(),
        source: z.string(),
        origin: z.enum(["catalog", "registered"]),
        default: z.boolean(),
        installed: z.boolean(),
        files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.int() })),
        inputs: z.array(tensor),
        outputs: z.array(tensor),
        labels: z.array(z.string()),
      }),
    ),
    suggested: z
      .array(
        z.object({
          id: z.string(),
          repository: z.string(),
          licence: z.string(),
          notes: z.string(),
          installed: z.literal(false),
        }),
      )
      .describe("Public exports in a supported layout, not installed: register them with models:add"),
    tasks: z.array(
      z.object({ id: z.string(), description: z.string(), defaultModels: z.record(z.string(), z.string()) }),
    ),
  })
  .meta({ id: "ModelCatalog" });
