import { InvalidInputError } from "../errors.js";
import type { ModelAccess, ModelsByRole } from "./types.js";

/**
 * The task's default models by role, with `requested` (if any) replacing the default whose catalog
 * task matches its own. Unknown ids fail with ModelNotFoundError, models of another task with InvalidInputError.
 */
export async function chooseModels(
  defaults: Readonly<Record<string, string>>,
  requested: string | undefined,
  models: ModelAccess,
): Promise<ModelsByRole> {
  const chosen: ModelsByRole = {};
  for (const [role, id] of Object.entries(defaults)) chosen[role] = await models.resolve(id);
  if (requested === undefined) return chosen;
  const entry = await models.resolve(requested);
  const role = Object.keys(chosen).find((name) => chosen[name]?.task === entry.task);
  if (!role) {
    const tasks = Object.values(chosen).map((model) => model.task);
    throw new InvalidInputError(
      `Model "${requested}" is a ${entry.task} model; this task takes ${tasks.join(" or ")}`,
    );
  }
  chosen[role] = entry;
  return chosen;
}

/** The one model of a single-role task. */
export async function chooseModel(
  defaultId: string,
  requested: string | undefined,
  models: ModelAccess,
): Promise<ModelsByRole[string]> {
  const { main } = await chooseModels({ main: defaultId }, requested, models);
  if (!main) throw new InvalidInputError("no model");
  return main;
}
