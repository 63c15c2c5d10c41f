import { facesTask } from "../faces/index.js";
import type { ImageTask } from "../image-task.js";
import { labelsTask } from "../labels/index.js";
import { moderationTask } from "../moderation/index.js";
import { textTask } from "../text/index.js";

/** The image tasks `/v1/analyze` and the frames batch can combine, by the name a request uses. */
export const visionTasks = Object.freeze({
  faces: facesTask,
  labels: labelsTask,
  moderation: moderationTask,
  text: textTask,
}) satisfies Readonly<Record<string, ImageTask>>;

export type VisionTaskName = keyof typeof visionTasks;
export const visionTaskNames = Object.keys(visionTasks) as [VisionTaskName, ...VisionTaskName[]];
