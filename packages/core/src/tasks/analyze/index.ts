/**
 * analyze: several image tasks on one image, decoded once.
 *
 * Input: `{ image, tasks: ["faces", "labels", "moderation", "text"], options?: { <task>: {…} },
 * models?: { <task>: "<model id>" } }` — each task's options and model as its own endpoint takes them.
 *
 * Output example (../shared/data/images/faces/2.jpg, abridged):
 * { "width": 1024, "height": 484,
 *   "results": { "faces": { "faces": [ … 4 … ], "models": […], "timings": { … } }, "labels": { … }, … },
 *   "models": [{ "id": "face-detection/ultraface-rfb-320", "version": "1.0.0" }, …],
 *   "timings": { "decode": 4.2, "preprocess": 3.1, "inference": 190.4, "postprocess": 2.2 } }
 * `timings` adds up the tasks' phases; the one decode is counted there only.
 */
import type { RgbImage } from "../../media/image.js";
import { modelRef, timingsShape, z } from "../../schema.js";
import { type DecodedRequest, defineImageTask } from "../image-task.js";
import { Timings } from "../timings.js";
import type { ModelRef, TaskContext, TaskResult } from "../types.js";
import { type Analysis, analyzeBody } from "./request.js";
import { visionTaskNames, visionTasks } from "./vision-tasks.js";

const result = z
  .object({
    width: z.int(),
    height: z.int(),
    results: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .describe("Each requested task's response, as its own endpoint answers it"),
    models: z.array(modelRef),
    timings: timingsShape,
  })
  .meta({ id: "AnalyzeResponse" });

export type AnalyzeResult = z.output<typeof result> & TaskResult;

const addTimings = (total: Record<string, number>, part: Record<string, number>) => {
  for (const [phase, ms] of Object.entries(part))
    total[phase] = Math.round(((total[phase] ?? 0) + ms) * 100) / 100;
};

/** Runs each requested task's `analyze` on the decoded pixels, one after another (one session at a time). */
export async function analyzeImage(
  image: RgbImage,
  request: Analysis,
  context: TaskContext,
): Promise<AnalyzeResult> {
  const results: Record<string, Record<string, unknown>> = {};
  const models: ModelRef[] = [];
  const timings = context.timings.toJSON() as Record<string, number>;
  let modelMs = context.timings.modelMs;
  for (const name of request.tasks) {
    const task = visionTasks[name];
    const own = { ...context, timings: new Timings() };
    const options = (request.options as Record<string, unknown> | undefined)?.[name];
    const model = (request.models as Record<string, string | undefined> | undefined)?.[name];
    const taskRequest = { ...(model && { model }), ...(options !== undefined && { options }) };
    const { modelMs: taskModelMs, ...answer } = await task.analyze(image, taskRequest as never, own);
    results[name] = answer;
    for (const used of answer.models) {
      if (!models.some((known) => known.id === used.id && known.version === used.version)) models.push(used);
    }
    addTimings(timings, answer.timings);
    modelMs += taskModelMs;
  }
  return { width: image.width, height: image.height, results, models, timings, modelMs };
}

export const analyzeTask = defineImageTask({
  id: "analyze",
  description: `Several image tasks on one image, decoded once: ${visionTaskNames.join(", ")}.`,
  body: analyzeBody,
  result,
  defaultModels: Object.fromEntries(
    Object.entries(visionTasks).flatMap(([name, task]) =>
      Object.entries(task.defaultModels).map(([role, id]) => [`${name}.${role}`, id]),
    ),
  ),
  example: {
    request: { image: "<base64 JPEG>", tasks: ["faces"], options: { faces: { emotions: true } } },
    response: {
      width: 1024,
      height: 484,
      results: { faces: { faces: [], models: [], timings: {} } },
      models: [{ id: "face-detection/ultraface-rfb-320", version: "1.0.0" }],
      timings: { decode: 4.2, preprocess: 1.6, inference: 31.0, postprocess: 0.4 },
    },
  },
  analyze: (image: RgbImage, request: DecodedRequest<z.output<typeof analyzeBody>>, context: TaskContext) =>
    analyzeImage(image, request, context),
  async warm(context) {
    for (const task of Object.values(visionTasks)) await task.warm(context);
  },
});
