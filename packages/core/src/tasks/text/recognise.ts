/**
 * Text recognition, PaddleOCR's way: each box cut out upright (its rotated rectangle warped to a
 * straight strip), scaled to the recogniser's height keeping its aspect, lines of similar width batched
 * and zero-padded to the widest (at least 320 px), then greedy CTC: argmax per step, repeats collapsed,
 * blank (0) dropped; class i ≥ 1 is dictionary line i − 1, the class after the dictionary a space.
 */
import type { RgbImage } from "../../media/image.js";
import { imageTensor, recipeOf } from "../../media/recipe.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import type { TaskContext } from "../types.js";
import type { Point, Quad } from "./geometry.js";

const BATCH = 6;
const MIN_WIDTH = 320;
const MAX_WIDTH = 2304;

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The quad widened along its length by `margin` × its height at each end, kept inside the image. */
export function widen(quad: Quad, margin: number, image: { width: number; height: number }): Quad {
  const [tl, tr, br, bl] = quad;
  const length = distance(tl, tr) || 1;
  const extra = margin * Math.max(distance(tl, bl), distance(tr, br));
  const dx = ((tr[0] - tl[0]) / length) * extra;
  const dy = ((tr[1] - tl[1]) / length) * extra;
  const clamp = ([x, y]: Point): Point => [
    Math.min(Math.max(x, 0), image.width - 1),
    Math.min(Math.max(y, 0), image.height - 1),
  ];
  return [
    clamp([tl[0] - dx, tl[1] - dy]),
    clamp([tr[0] + dx, tr[1] + dy]),
    clamp([br[0] + dx, br[1] + dy]),
    clamp([bl[0] - dx, bl[1] - dy]),
  ];
}

/** get_rotate_crop_image: the quad's rectangle as an upright strip (bilinear), tall strips turned. */
export function cropQuad(image: RgbImage, quad: Quad): RgbImage {
  const [tl, tr, br, bl] = quad;
  const width = Math.max(1, Math.floor(Math.max(distance(tl, tr), distance(bl, br))));
  const height = Math.max(1, Math.floor(Math.max(distance(tl, bl), distance(tr, br))));
  const data = new Uint8Array(width * height * 3);
  const ux = (tr[0] - tl[0]) / width;
  const uy = (tr[1] - tl[1]) / width;
  const vx = (bl[0] - tl[0]) / height;
  const vy = (bl[1] - tl[1]) / height;
  const at = (x: number, y: number, c: number) => {
    const cx = Math.min(Math.max(x, 0), image.width - 1);
    const cy = Math.min(Math.max(y, 0), image.height - 1);
    return image.data[(cy * image.width + cx) * 3 + c] as number;
  };
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const x = tl[0] + u * ux + v * vx;
      const y = tl[1] + u * uy + v * vy;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
        const bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        data[(v * width + u) * 3 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  const strip: RgbImage = { data, width, height, format: image.format };
  return height >= 1.5 * width ? turnCounterClockwise(strip) : strip;
}

/** np.rot90: new[y][x] = old[x][width − 1 − y]. */
function turnCounterClockwise(image: RgbImage): RgbImage {
  const { width, height } = image;
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < height; x++) {
      const from = (x * width + (width - 1 - y)) * 3;
      const to = (y * height + x) * 3;
      data.set(image.data.subarray(from, from + 3), to);
    }
  }
  return { data, width: height, height: width, format: image.format };
}

/** Greedy CTC over one line's steps × classes probabilities: text and the mean kept-step probability. */
export function ctcDecode(
  probabilities: Float32Array,
  steps: number,
  classes: number,
  keys: readonly string[],
) {
  let text = "";
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestP = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      const p = probabilities[t * classes + c] as number;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += best <= keys.length ? keys[best - 1] : " ";
      sum += bestP;
      kept += 1;
    }
    previous = best;
  }
  return { text, confidence: kept > 0 ? sum / kept : 0 };
}

/**
 * Batches of up to BATCH lines (sorted by width) whose widths, padded to at least MIN_WIDTH, differ by
 * at most 1.5×: a short word is not padded to a subtitle's width (the recogniser's cost is ∝ width).
 */
export function similarWidths(sorted: readonly number[], widthOf: (index: number) => number): number[][] {
  const batches: number[][] = [];
  for (const index of sorted) {
    const batch = batches[batches.length - 1];
    const first = batch?.[0];
    const fits =
      batch !== undefined &&
      first !== undefined &&
      batch.length < BATCH &&
      Math.max(MIN_WIDTH, widthOf(index)) <= 1.5 * Math.max(MIN_WIDTH, widthOf(first));
    if (fits) batch.push(index);
    else batches.push([index]);
  }
  return batches;
}

/** Reads each strip; results in the strips' order. */
export async function recogniseLines(
  strips: readonly RgbImage[],
  recogniser: ModelEntry,
  keys: readonly string[],
  context: TaskContext,
): Promise<Array<{ text: string; confidence: number }>> {
  const recipe = recipeOf(recogniser);
  const { timings } = context;
  const widthOf = (strip: RgbImage) =>
    Math.min(MAX_WIDTH, Math.max(1, Math.ceil((recipe.height * strip.width) / strip.height)));
  const order = strips
    .map((_, index) => index)
    .sort((a, b) => widthOf(strips[a] as RgbImage) - widthOf(strips[b] as RgbImage));
  const results: Array<{ text: string; confidence: number }> = new Array(strips.length);
  for (const batch of similarWidths(order, (index) => widthOf(strips[index] as RgbImage))) {
    const batchWidth = Math.max(MIN_WIDTH, ...batch.map((index) => widthOf(strips[index] as RgbImage)));
    const plane = recipe.height * batchWidth;
    const input = await timings.measure("preprocess", () => {
      const data = new Float32Array(batch.length * 3 * plane);
      batch.forEach((index, slot) => {
        const strip = strips[index] as RgbImage;
        const width = widthOf(strip);
        const line = imageTensor(strip, recipe, { width, height: recipe.height }).data;
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < recipe.height; y++) {
            const from = c * recipe.height * width + y * width;
            data.set(line.subarray(from, from + width), slot * 3 * plane + c * plane + y * batchWidth);
          }
        }
      });
      return { type: "float32" as const, data, dims: [batch.length, 3, recipe.height, batchWidth] };
    });
    const name = recogniser.inputs[0]?.name ?? "x";
    const result = await timings.measure("inference", () =>
      context.runtime.run(recogniser, { [name]: input }),
    );
    timings.modelMs += result.modelMs;
    await timings.measure("postprocess", () => {
      const output = Object.values(result.outputs)[0];
      const [, steps, classes] = (output?.dims ?? []) as number[];
      const probabilities = output?.data as Float32Array;
      batch.forEach((index, slot) => {
        const size = (steps as number) * (classes as number);
        const line = probabilities.subarray(slot * size, (slot + 1) * size);
        results[index] = ctcDecode(line, steps as number, classes as number, keys);
      });
    });
  }
  return results;
}
