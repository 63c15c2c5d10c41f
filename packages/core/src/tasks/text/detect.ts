/**
 * Text detection, PaddleOCR's DB way: the detector's probability map is binarised at `threshold`; each
 * 8-connected region becomes a minimum-area rectangle, kept when the mean probability inside it reaches
 * `boxScore`, grown by unclip (× `unclipRatio`), boxed again and scaled back to the image.
 */
import type { RgbImage } from "../../media/image.js";
import { imageTensor, recipeOf } from "../../media/recipe.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { floatOutput } from "../../runtime/onnx-runtime.js";
import type { TaskContext } from "../types.js";
import { insideQuad, minAreaRect, type Point, type Quad, unclip } from "./geometry.js";

export interface DetectionOptions {
  threshold: number;
  boxScore: number;
  unclipRatio: number;
  maxSide: number;
  minSide: number;
  maxCandidates: number;
}

export interface TextBox {
  quad: Quad;
  score: number;
}

/** DetResizeForTest (limit_type max): longest side ≤ maxSide, both sides rounded to multiples of 32. */
export function detectorSize(width: number, height: number, maxSide: number) {
  const ratio = Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
  const side = (value: number) => Math.max(Math.round((value * ratio) / 32) * 32, 32);
  return { width: side(width), height: side(height) };
}

/** The boundary pixels of each 8-connected region of `mask` (width × height), largest first. */
export function regions(mask: Uint8Array, width: number, height: number, limit: number): Point[][] {
  const label = new Int32Array(width * height);
  const found: Point[][] = [];
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    next += 1;
    label[start] = next;
    stack.push(start);
    const boundary: Point[] = [];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      const x = at % width;
      const y = (at - x) / width;
      let edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if ((dx === 0 && dy === 0) || nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const neighbour = ny * width + nx;
          if (!mask[neighbour]) {
            if (dx === 0 || dy === 0) edge = true;
          } else if (!label[neighbour]) {
            label[neighbour] = next;
            stack.push(neighbour);
          }
        }
      }
      if (edge) boundary.push([x, y]);
    }
    found.push(boundary);
  }
  return found.sort((a, b) => b.length - a.length).slice(0, limit);
}

/** box_score_fast: the mean probability over the map pixels inside the rectangle. */
function meanInside(map: Float32Array, width: number, height: number, quad: Quad): number {
  const xs = quad.map((point) => point[0]);
  const ys = quad.map((point) => point[1]);
  const x1 = Math.max(0, Math.floor(Math.min(...xs)));
  const x2 = Math.min(width - 1, Math.ceil(Math.max(...xs)));
  const y1 = Math.max(0, Math.floor(Math.min(...ys)));
  const y2 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  let sum = 0;
  let count = 0;
  for (let y = y1; y <= y2; y++) {
    for (let x = x1; x <= x2; x++) {
      if (!insideQuad(quad, x, y)) continue;
      sum += map[y * width + x] as number;
      count += 1;
    }
  }
  return count > 0 ? sum / count : 0;
}

/** The probability map of the detector (width × height) → text boxes in image pixels. */
export function boxesFromMap(
  map: Float32Array,
  size: { width: number; height: number },
  image: { width: number; height: number },
  options: DetectionOptions,
): TextBox[] {
  const { width, height } = size;
  const mask = new Uint8Array(map.length);
  for (let i = 0; i < map.length; i++) mask[i] = (map[i] as number) > options.threshold ? 1 : 0;
  const boxes: TextBox[] = [];
  const sx = image.width / width;
  const sy = image.height / height;
  for (const region of regions(mask, width, height, options.maxCandidates)) {
    const { quad, shortSide } = minAreaRect(region);
    if (shortSide < options.minSide) continue;
    const score = meanInside(map, width, height, quad);
    if (score < options.boxScore) continue;
    const grown = minAreaRect(unclip(quad, options.unclipRatio));
    if (grown.shortSide < options.minSide + 2) continue;
    const scaled = grown.quad.map(
      ([x, y]): Point => [
        Math.round(Math.min(Math.max(x * sx, 0), image.width)),
        Math.round(Math.min(Math.max(y * sy, 0), image.height)),
      ],
    ) as Quad;
    boxes.push({ quad: scaled, score });
  }
  return boxes;
}

export async function detectText(
  image: RgbImage,
  detector: ModelEntry,
  options: DetectionOptions,
  context: TaskContext,
): Promise<TextBox[]> {
  const { timings } = context;
  const size = detectorSize(image.width, image.height, options.maxSide);
  const feeds = await timings.measure("preprocess", () => ({
    [detector.inputs[0]?.name ?? "x"]: imageTensor(image, recipeOf(detector), size),
  }));
  const result = await timings.measure("inference", () => context.runtime.run(detector, feeds));
  timings.modelMs += result.modelMs;
  return timings.measure("postprocess", () => boxesFromMap(floatOutput(result), size, image, options));
}
