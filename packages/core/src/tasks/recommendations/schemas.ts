/** The shapes both recommender tasks share: the recommender's name and the list of items they answer. */
import { modelRef, timingsShape, z } from "../../schema.js";
import { RECOMMENDER_NAME } from "./recommender.js";

export const recommenderName = z
  .string()
  .regex(RECOMMENDER_NAME, { error: "must be a recommender name (letters, digits, . _ -)" })
  .describe('The recommender, e.g. "ml100k-ease" (model recommender/<name>)');

export const recommendedItem = z.object({
  item: z.string().describe("The item id as uploaded"),
  score: z.number(),
  title: z.string().optional(),
  reason: z.string().optional(),
});

/** `{items, model, models, timings}` under the API document's name `id`. */
export const itemListResult = (id: string) =>
  z
    .object({
      items: z.array(recommendedItem),
      model: modelRef.describe("The recommender version that answered"),
      models: z.array(modelRef),
      timings: timingsShape,
    })
    .meta({ id });

export type ItemListResult = z.output<ReturnType<typeof itemListResult>>;
