/**
 * A Hugging Face image-classification folder's `preprocessor_config.json` and `config.json` as an image
 * recipe and labels, following transformers' image processors: `size.shortest_edge` (with `crop_pct`, or
 * `crop_size` and `do_center_crop`) resizes the shorter side then centre-crops; `size.{height,width}`
 * stretches. `resample` is a PIL code; rescale then normalise is (x × rescale_factor − mean) / std.
 */
import { ConfigError } from "../errors.js";
import { z } from "../schema.js";
import { type ImageRecipe, imageRecipe } from "./recipe.js";

const PIL_FILTERS: Record<number, ImageRecipe["filter"] | undefined> = {
  1: "lanczos",
  2: "bilinear",
  3: "bicubic",
  4: "box",
};
/** transformers' IMAGENET_STANDARD_MEAN / _STD, the image processors' defaults. */
const STANDARD = [0.5, 0.5, 0.5];

const size = z.union([
  z.object({ shortest_edge: z.int().positive() }),
  z.object({ height: z.int().positive(), width: z.int().positive() }),
]);
const processorConfig = z.object({
  size: z.union([size, z.int().positive()]),
  crop_size: z.union([z.object({ height: z.int(), width: z.int() }), z.int()]).optional(),
  crop_pct: z.number().positive().max(1).optional(),
  do_center_crop: z.boolean().optional(),
  do_resize: z.boolean().default(true),
  resample: z.int().default(2),
  do_rescale: z.boolean().default(true),
  rescale_factor: z
    .number()
    .positive()
    .default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: z.array(z.number()).length(3).default(STANDARD),
  image_std: z.array(z.number().positive()).length(3).default(STANDARD),
  do_flip_channel_order: z.boolean().default(false),
});
const modelConfig = z.object({ id2label: z.record(z.string(), z.string()) });

const side = (value: { height: number; width: number } | number) =>
  typeof value === "number" ? { height: value, width: value } : value;

function parse<T>(schema: z.ZodType<T>, text: string, file: string, model: string): T {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`${model}: ${file} is not usable (${issues.join("; ")})`);
  }
  return parsed.data;
}

function geometry(config: z.output<typeof processorConfig>, model: string) {
  const resize = typeof config.size === "number" ? { shortest_edge: config.size } : config.size;
  if (!config.do_resize) throw new ConfigError(`${model}: do_resize false is not supported`);
  if ("shortest_edge" in resize) {
    const edge = resize.shortest_edge;
    if (config.crop_size !== undefined && config.do_center_crop !== false) {
      const crop = side(config.crop_size);
      return { resize: "crop" as const, shorter: edge, width: crop.width, height: crop.height };
    }
    // ConvNeXt-style: below 384 the shorter side goes to edge / crop_pct, then an edge × edge crop.
    const cropPct = config.crop_pct ?? 224 / 256;
    const shorter = edge < 384 ? Math.floor(edge / cropPct) : edge;
    return { resize: "crop" as const, shorter, width: edge, height: edge };
  }
  if (config.do_center_crop && config.crop_size !== undefined) {
    throw new ConfigError(`${model}: a fixed size followed by a centre crop is not supported`);
  }
  return { resize: "stretch" as const, width: resize.width, height: resize.height };
}

/** The recipe and the labels (index order) of a Hugging Face image classifier. */
export function hfImageClassifier(
  preprocessorJson: string,
  configJson: string,
  model: string,
): { recipe: ImageRecipe; labels: string[] } {
  const config = parse(processorConfig, preprocessorJson, "preprocessor_config.json", model);
  const filter = PIL_FILTERS[config.resample];
  if (!filter) throw new ConfigError(`${model}: resample ${config.resample} is not supported`);
  const recipe = imageRecipe.parse({
    ...geometry(config, model),
    filter,
    colour: config.do_flip_channel_order ? "bgr" : "rgb",
    layout: "NCHW",
    scale: config.do_rescale ? config.rescale_factor : 1,
    mean: config.do_normalize ? config.image_mean : [0],
    std: config.do_normalize ? config.image_std : [1],
  });
  const { id2label } = parse(modelConfig, configJson, "config.json", model);
  const labels = Object.entries(id2label)
    .map(([index, label]) => [Number(index), label] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, label]) => label);
  return { recipe, labels };
}
