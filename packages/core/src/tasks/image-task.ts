import { decodeImage, type RgbImage } from "../media/image.js";
import type { z } from "../schema.js";
import { defineTask, type Resolved, type Task, type TaskContext, type TaskResult } from "./types.js";

/** An image task's request once its image is decoded: `{ model?, options? }`. */
export type DecodedRequest<Body> = Omit<Resolved<Body>, "image">;

/**
 * A vision task: `analyze` works on decoded pixels, so `/v1/analyze` and the frames batch decode a
 * frame once for several tasks; `run` (one task, one request) is decode + analyze.
 */
export interface ImageTask<Body = unknown, Result extends TaskResult = TaskResult>
  extends Task<Body, Result> {
  readonly input: "image";
  analyze(image: RgbImage, request: DecodedRequest<Body>, context: TaskContext): Promise<Result>;
}

export const decodeFor = (bytes: Uint8Array, context: TaskContext): Promise<RgbImage> =>
  context.timings.measure("decode", () => decodeImage(bytes, { maxPixels: context.limits.maxImagePixels }));

export function defineImageTask<S extends z.ZodType, Result extends TaskResult>(
  task: Omit<ImageTask<z.output<S>, Result>, "body" | "run" | "input"> & { body: S },
): ImageTask<z.output<S>, Result> {
  const run = async (input: Resolved<z.output<S>>, context: TaskContext): Promise<Result> => {
    const { image: bytes, ...request } = input as Resolved<z.output<S>> & { image: Uint8Array };
    const image = await decodeFor(bytes, context);
    return task.analyze(image, request as DecodedRequest<z.output<S>>, context);
  };
  return defineTask({ ...task, input: "image", run }) as ImageTask<z.output<S>, Result>;
}

export const isImageTask = (task: Task<unknown, TaskResult>): task is ImageTask =>
  task.input === "image" && typeof (task as Partial<ImageTask>).analyze === "function";
