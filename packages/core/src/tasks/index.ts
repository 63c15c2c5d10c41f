import { UnknownTaskError } from "../errors.js";
import { analyzeTask } from "./analyze/index.js";
import { embeddingsTask } from "./embeddings/index.js";
import { facesTask } from "./faces/index.js";
import { generateTask } from "./generate/index.js";
import { labelsTask } from "./labels/index.js";
import { moderationTask } from "./moderation/index.js";
import { recommendationsTask } from "./recommendations/index.js";
import { searchTask } from "./search/index.js";
import { sentimentTask } from "./sentiment/index.js";
import { similarItemsTask } from "./similar-items/index.js";
import { textTask } from "./text/index.js";
import type { Task, TaskResult } from "./types.js";

/**
 * THE task registry: task id -> module. Frozen; add a task here and nowhere else. Functions import
 * their own task's module directly (`@marquee/core/tasks/<id>`), so a package carries only its task.
 */
export const tasks: Readonly<Record<string, Task<unknown, TaskResult>>> = Object.freeze({
  faces: facesTask,
  labels: labelsTask,
  moderation: moderationTask,
  text: textTask,
  sentiment: sentimentTask,
  embeddings: embeddingsTask,
  search: searchTask,
  generate: generateTask,
  analyze: analyzeTask,
  recommendations: recommendationsTask,
  "similar-items": similarItemsTask,
});

export function getTask(id: string): Task<unknown, TaskResult> {
  const task = Object.hasOwn(tasks, id) ? tasks[id] : undefined;
  if (!task) {
    throw new UnknownTaskError(`Unknown task "${id}". Valid tasks: ${Object.keys(tasks).join(", ")}`);
  }
  return task;
}
