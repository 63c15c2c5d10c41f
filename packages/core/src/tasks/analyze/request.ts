import { modelId, requestBody, z } from "../../schema.js";
import { imageField } from "../image-body.js";
import { visionTaskNames, visionTasks } from "./vision-tasks.js";

/** A vision task's `options` schema, read from its request body (declared once, there). */
function optionsOf(name: keyof typeof visionTasks): z.ZodType {
  const body = visionTasks[name].body as unknown as z.ZodObject;
  const options = body.shape.options as z.ZodOptional<z.ZodType> | undefined;
  if (!options) throw new Error(`task ${name} declares no options`);
  return options;
}

const taskList = z
  .array(z.enum(visionTaskNames, { error: `must be one of ${visionTaskNames.join(", ")}` }), {
    error: `must be a list of tasks (${visionTaskNames.join(", ")})`,
  })
  .min(1, { error: "must name at least one task" })
  .refine((names) => new Set(names).size === names.length, { error: "must not name a task twice" })
  .describe(`Tasks to run on the image, each at most once: ${visionTaskNames.join(", ")}`);

const perTask = <T extends z.ZodType>(value: (name: keyof typeof visionTasks) => T) =>
  z.strictObject(Object.fromEntries(visionTaskNames.map((name) => [name, value(name)])) as Record<string, T>);

/** What to run: the fields shared by `/v1/analyze` and a frames job's `manifest.json`. */
export const analysisFields = {
  tasks: taskList,
  options: perTask((name) => optionsOf(name))
    .optional()
    .describe("Options per task, as each task's own endpoint takes them"),
  models: perTask(() => modelId.optional())
    .optional()
    .describe("A model per task, replacing that task's default (as its endpoint's `model`)"),
};

export const analyzeBody = requestBody({ image: imageField, ...analysisFields }).meta({
  id: "AnalyzeRequest",
});
export const analysisManifest = requestBody(analysisFields);
export type Analysis = z.output<typeof analysisManifest>;
