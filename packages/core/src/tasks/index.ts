import { UnknownTaskError } from "../errors.js";
import { facesTask } from "./faces/index.js";
import type { Task } from "./types.js";

/** THE task registry: task id -> module. Frozen; add a task here and nowhere else. */
export const tasks: Readonly<Record<string, Task>> = Object.freeze({
  faces: facesTask,
});

export function getTask(id: string): Task {
  const task = Object.hasOwn(tasks, id) ? tasks[id] : undefined;
  if (!task) {
    throw new UnknownTaskError(`Unknown task "${id}". Valid tasks: ${Object.keys(tasks).join(", ")}`);
  }
  return task;
}
