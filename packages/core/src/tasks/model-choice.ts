import { InvalidInputError } from "../errors.js";
import { findModel } from "../model-store/catalog.js";
import type { ModelsByRole } from "./types.js";

/**
 * The task's default models by role, with `requested` (if any) replacing the default whose catalog
 * task matches its own. Unknown ids fail with ModelNotFoundError, models of another task with InvalidInputError.
 */
export function chooseModels(
  defaults: Readonly<Record<string, string>>,
  requested: string | undefined,
): ModelsByRole {
  const chosen: ModelsByRole = {};
  for (const [role, id] of Object.entries(defaults)) chosen[role] = findModel(id);
  if (requested === undefined) return chosen;
  const entry = findModel(requested);
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
