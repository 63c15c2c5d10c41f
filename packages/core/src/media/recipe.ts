import { z } from "zod";
import type { ModelEntry } from "../model-store/catalog-types.js";
import type { Box, RgbImage } from "./image.js";
import { axisTaps, resampleTaps } from "./resample.js";

/**
 * How a vision model's input tensor is made from decoded pixels: data in the model's catalog entry
 * (`preprocess`), never code per model. value = (pixel × scale − mean[c]) / std[c].
 * `resize`: `stretch` to width × height ignoring aspect; `crop` resizes the shorter side to `shorter`
 * and centre-crops width × height (torchvision's Resize + CenterCrop).
 */
export const imageRecipe = z
  .strictObject({
    width: z.int().positive(),
    height: z.int().positive(),
    resize: z.enum(["stretch", "crop"]),
    shorter: z.int().positive().optional(),
    filter: z.enum(["box", "bilinear", "bicubic", "lanczos"]).default("bilinear"),
    colour: z.enum(["rgb", "bgr", "grey"]).default("rgb"),
    layout: z.enum(["NCHW", "NHWC"]),
    scale: z.number().positive(),
    mean: z.array(z.number()).min(1).max(3),
    std: z.array(z.number().positive()).min(1).max(3),
  })
  .refine((recipe) => recipe.resize !== "crop" || recipe.shorter !== undefined, {
    message: "a crop recipe needs `shorter`",
  });

export type ImageRecipe = z.output<typeof imageRecipe>;

/** The recipe in a model's catalog entry; a malformed one is a configuration error naming the model. */
export function recipeOf(entry: ModelEntry): ImageRecipe {
  const parsed = imageRecipe.safeParse(entry.preprocess);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Model ${entry.id} has no valid image recipe (${issues.join("; ")})`);
  }
  return parsed.data;
}

export const channelsOf = (recipe: ImageRecipe): number => (recipe.colour === "grey" ? 1 : 3);

/** Tensor dims of `count` images made with this recipe (at its size, or the given one). */
export function recipeDims(recipe: ImageRecipe, count: number, width = recipe.width, height = recipe.height) {
  const channels = channelsOf(recipe);
  return recipe.layout === "NCHW" ? [count, channels, height, width] : [count, height, width, channels];
}

export interface TensorTarget {
  /** The part of the image to use; default the whole image. */
  box?: Box;
  /** Output size overriding the recipe's (detectors with dynamic sizes, text lines). */
  width?: number;
  height?: number;
}

/** Python's round(), which torchvision's centre crop uses: 58.5 → 58. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function taps(image: RgbImage, box: Box, recipe: ImageRecipe, width: number, height: number) {
  const boxWidth = box.x2 - box.x1;
  const boxHeight = box.y2 - box.y1;
  let resizedWidth = width;
  let resizedHeight = height;
  let offsetX = 0;
  let offsetY = 0;
  if (recipe.resize === "crop") {
    const shorter = recipe.shorter ?? Math.min(width, height);
    const factor = shorter / Math.min(boxWidth, boxHeight);
    // torchvision: the shorter side is exact, the longer one truncated; crop offsets rounded.
    resizedWidth = boxWidth <= boxHeight ? shorter : Math.floor(boxWidth * factor);
    resizedHeight = boxHeight < boxWidth ? shorter : Math.floor(boxHeight * factor);
    offsetX = roundHalfEven((resizedWidth - width) / 2);
    offsetY = roundHalfEven((resizedHeight - height) / 2);
  }
  const { filter } = recipe;
  return {
    columns: axisTaps(image.width, box.x1, boxWidth, resizedWidth, offsetX, width, filter),
    rows: axisTaps(image.height, box.y1, boxHeight, resizedHeight, offsetY, height, filter),
  };
}

/**
 * Writes one image's tensor for `recipe` into `out` at element `at` (a batch slot), resampling and
 * normalising in one pass over the resampled pixels.
 */
export function writeTensor(
  image: RgbImage,
  recipe: ImageRecipe,
  out: Float32Array,
  at: number,
  target: TensorTarget = {},
): void {
  const width = target.width ?? recipe.width;
  const height = target.height ?? recipe.height;
  const box = target.box ?? { x1: 0, y1: 0, x2: image.width, y2: image.height };
  const { columns, rows } = taps(image, box, recipe, width, height);
  const rgb = resampleTaps(image.data, image.width, columns, rows);
  const plane = width * height;
  const { scale, mean, std } = recipe;
  if (recipe.colour === "grey") {
    const m = mean[0] as number;
    const s = std[0] as number;
    for (let i = 0; i < plane; i++) {
      const luma =
        0.299 * (rgb[i * 3] as number) +
        0.587 * (rgb[i * 3 + 1] as number) +
        0.114 * (rgb[i * 3 + 2] as number);
      out[at + i] = (luma * scale - m) / s;
    }
    return;
  }
  const order = recipe.colour === "bgr" ? [2, 1, 0] : [0, 1, 2];
  const planar = recipe.layout === "NCHW";
  for (let c = 0; c < 3; c++) {
    const source = order[c] as number;
    const m = (mean[c] ?? mean[0]) as number;
    const s = (std[c] ?? std[0]) as number;
    const a = scale / s;
    const b = -m / s;
    if (planar) {
      const base = at + c * plane;
      for (let i = 0; i < plane; i++) out[base + i] = (rgb[i * 3 + source] as number) * a + b;
    } else {
      for (let i = 0; i < plane; i++) out[at + i * 3 + c] = (rgb[i * 3 + source] as number) * a + b;
    }
  }
}

/** The input tensor of one image (or one box of it) for a recipe. */
export function imageTensor(image: RgbImage, recipe: ImageRecipe, target: TensorTarget = {}) {
  const width = target.width ?? recipe.width;
  const height = target.height ?? recipe.height;
  const data = new Float32Array(width * height * channelsOf(recipe));
  writeTensor(image, recipe, data, 0, target);
  return { type: "float32" as const, data, dims: recipeDims(recipe, 1, width, height) };
}

/** One tensor batching a crop per box (face crops for an expression model, for instance). */
export function cropsTensor(image: RgbImage, recipe: ImageRecipe, boxes: readonly Box[]) {
  const size = recipe.width * recipe.height * channelsOf(recipe);
  const data = new Float32Array(boxes.length * size);
  boxes.forEach((box, index) => {
    writeTensor(image, recipe, data, index * size, { box });
  });
  return { type: "float32" as const, data, dims: recipeDims(recipe, boxes.length) };
}
