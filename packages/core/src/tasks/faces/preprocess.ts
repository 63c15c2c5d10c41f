import type { Box, RgbImage } from "../../media/image.js";
import { cropsTensor, imageTensor, recipeOf } from "../../media/recipe.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";

/** The detector's input for a region of the image (the whole frame, or one tile), by its recipe. */
export function detectorFeeds(detector: ModelEntry, image: RgbImage, box?: Box) {
  const name = detector.inputs[0]?.name ?? "input";
  return { [name]: imageTensor(image, recipeOf(detector), box ? { box } : {}) };
}

/** The expression model's input: every face crop, batched, by its recipe. */
export function emotionFeeds(emotion: ModelEntry, image: RgbImage, boxes: readonly Box[]) {
  const name = emotion.inputs[0]?.name ?? "input_1";
  return { [name]: cropsTensor(image, recipeOf(emotion), boxes) };
}
