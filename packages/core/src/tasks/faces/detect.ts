import type { Box, RgbImage } from "../../media/image.js";
import { recipeOf } from "../../media/recipe.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { floatOutput } from "../../runtime/onnx-runtime.js";
import type { TaskContext } from "../types.js";
import { type Detection, decodeDetections, nonMaxSuppression } from "./postprocess.js";
import { detectorFeeds } from "./preprocess.js";

export interface DetectParams {
  minScore: number;
  iouThreshold: number;
  maxFaces: number;
}

export interface TileGrid {
  columns: number;
  rows: number;
  /** Fraction of a tile shared with its neighbour. */
  overlap: number;
}

/**
 * Overlapping tiles covering the frame; each tile is seen by the detector at `columns`× (`rows`×) the
 * resolution of a whole-frame pass, so faces too small for one pass are found.
 */
export function tileBoxes(width: number, height: number, grid: TileGrid): Box[] {
  const span = (size: number, count: number) => size / (count - (count - 1) * grid.overlap);
  const tileWidth = span(width, grid.columns);
  const tileHeight = span(height, grid.rows);
  const boxes: Box[] = [];
  for (let row = 0; row < grid.rows; row++) {
    for (let column = 0; column < grid.columns; column++) {
      const x1 = Math.round(column * tileWidth * (1 - grid.overlap));
      const y1 = Math.round(row * tileHeight * (1 - grid.overlap));
      boxes.push({
        x1,
        y1,
        x2: Math.min(width, Math.round(x1 + tileWidth)),
        y2: Math.min(height, Math.round(y1 + tileHeight)),
      });
    }
  }
  return boxes;
}

/** The grid for a frame: tiles no more than ~2.5× the detector's input, at least 2×2. */
export function autoGrid(width: number, height: number, detector: ModelEntry): TileGrid {
  const recipe = recipeOf(detector);
  const fit = (size: number, input: number) => Math.max(2, Math.min(4, Math.ceil(size / (input * 2.5))));
  return { columns: fit(width, recipe.width), rows: fit(height, recipe.height), overlap: 0.2 };
}

/** Detections in one region; boxes cut by an inner tile edge are left to the neighbour that holds them. */
async function detectIn(
  image: RgbImage,
  detector: ModelEntry,
  region: Box,
  params: DetectParams,
  context: TaskContext,
): Promise<Detection[]> {
  const { runtime, timings } = context;
  const feeds = await timings.measure("preprocess", () => detectorFeeds(detector, image, region));
  const output = await timings.measure("inference", () => runtime.run(detector, feeds));
  timings.modelMs += output.modelMs;
  return timings.measure("postprocess", () => {
    const width = region.x2 - region.x1;
    const height = region.y2 - region.y1;
    const found = decodeDetections(floatOutput(output, "scores"), floatOutput(output, "boxes"), {
      scoreThreshold: params.minScore,
      iouThreshold: params.iouThreshold,
      maxFaces: Number.POSITIVE_INFINITY,
      width,
      height,
    });
    const innerEdge = (value: number, edge: number, limit: number) =>
      edge > 0 && edge < limit && Math.abs(value - edge) < 2;
    return found
      .map(({ box, score }) => ({
        score,
        box: {
          x1: box.x1 + region.x1,
          y1: box.y1 + region.y1,
          x2: box.x2 + region.x1,
          y2: box.y2 + region.y1,
        },
      }))
      .filter(
        ({ box }) =>
          !innerEdge(box.x1, region.x1, image.width) &&
          !innerEdge(box.x2, region.x2, image.width) &&
          !innerEdge(box.y1, region.y1, image.height) &&
          !innerEdge(box.y2, region.y2, image.height),
      );
  });
}

const whole = (image: RgbImage): Box => ({ x1: 0, y1: 0, x2: image.width, y2: image.height });

/** One whole-frame pass, or (with a grid) a whole-frame pass for large faces plus one per tile, merged by NMS. */
export async function detectFaces(
  image: RgbImage,
  detector: ModelEntry,
  params: DetectParams,
  context: TaskContext,
  grid?: TileGrid,
): Promise<Detection[]> {
  const regions = [whole(image), ...(grid ? tileBoxes(image.width, image.height, grid) : [])];
  const found: Detection[] = [];
  for (const region of regions) found.push(...(await detectIn(image, detector, region, params, context)));
  return context.timings.measure("postprocess", () =>
    nonMaxSuppression(found, params.iouThreshold, params.maxFaces),
  );
}
