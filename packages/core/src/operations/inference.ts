import { isPlainSegment } from "../batch/keys.js";
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from "../errors.js";
import type { Services } from "../services.js";
import { getTask } from "../tasks/index.js";
import { Timings } from "../tasks/timings.js";
import type { TaskResult } from "../tasks/types.js";

/** Media given inline (the request body) or by key of an object already uploaded to the media bucket. */
export type MediaSource = { kind: "inline"; bytes: Uint8Array } | { kind: "stored"; key: string };

/** The one internal request type that every trigger (HTTPS, batch) is turned into. */
export interface InferenceRequest {
  task: string;
  media: MediaSource;
  model: string | undefined;
  options: unknown;
}

/** An object under uploads/, with no `.`/`..`/empty segments and no control characters. */
function isUploadKey(key: string): boolean {
  const segments = key.split("/");
  return (
    key.length <= 1024 &&
    segments[0] === "uploads" &&
    segments.length >= 2 &&
    segments.slice(1).every(isPlainSegment) &&
    [...key].every((char) => char.charCodeAt(0) > 0x1f && char.charCodeAt(0) !== 0x7f)
  );
}

async function resolveMedia(source: MediaSource, services: Services): Promise<Uint8Array> {
  if (source.kind === "inline") return source.bytes;
  if (!isUploadKey(source.key)) {
    throw new InvalidInputError('s3Key must name an object under "uploads/" in the media bucket');
  }
  const info = await services.media.head(source.key);
  if (!info) throw new NotFoundError(`No uploaded object at s3Key "${source.key}"`);
  if (info.size > services.config.maxFrameBytes) {
    throw new PayloadTooLargeError(
      `The object is ${info.size} bytes; the limit is ${services.config.maxFrameBytes}`,
    );
  }
  const blob = await services.media.get(source.key);
  if (!blob) throw new NotFoundError(`No uploaded object at s3Key "${source.key}"`);
  return blob.bytes;
}

export async function runInference(request: InferenceRequest, services: Services): Promise<TaskResult> {
  const task = getTask(request.task);
  const validated = { bytes: new Uint8Array(), model: request.model, options: request.options };
  task.validate(validated);
  const bytes = await resolveMedia(request.media, services);
  return task.run(
    { ...validated, bytes },
    { runtime: services.runtime, timings: new Timings(), maxImagePixels: services.config.maxImagePixels },
  );
}

/** Loads and runs the task's default models once: call at module load so it happens in Lambda's Init phase. */
export function warmTask(taskId: string, services: Services): Promise<void> {
  return getTask(taskId).warm(services.runtime);
}
