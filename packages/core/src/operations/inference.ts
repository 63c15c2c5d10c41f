import { isPlainSegment } from "../batch/keys.js";
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from "../errors.js";
import { log } from "../log.js";
import type { Services } from "../services.js";
import { Timings } from "../tasks/timings.js";
import type { MediaSource, Resolved, StreamSink, Task, TaskContext, TaskResult } from "../tasks/types.js";
import { pseudonymiser } from "../training/ratings/ingest/pseudonym.js";

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
    throw new InvalidInputError('image.s3Key must name an object under "uploads/" in the media bucket');
  }
  const info = await services.media.head(source.key);
  if (!info) throw new NotFoundError(`No uploaded object at s3Key "${source.key}"`);
  if (info.size === 0) {
    throw new InvalidInputError(`The object at s3Key "${source.key}" is empty: its upload sent no bytes`);
  }
  if (info.size > services.config.maxFrameBytes) {
    throw new PayloadTooLargeError(
      `The object is ${info.size} bytes; the limit is ${services.config.maxFrameBytes}`,
    );
  }
  const blob = await services.media.get(source.key);
  if (!blob) throw new NotFoundError(`No uploaded object at s3Key "${source.key}"`);
  return blob.bytes;
}

export function taskContext(services: Services): TaskContext {
  return {
    runtime: services.runtime,
    models: services.modelAccess,
    catalogs: services.catalogs,
    timings: new Timings(),
    limits: { maxImagePixels: services.config.maxImagePixels },
    ...(services.config.pseudonymKey && { pseudonym: pseudonymiser(services.config.pseudonymKey) }),
  };
}

/**
 * A task's request, whatever the trigger, once its body is valid. For image tasks `image` is a
 * MediaSource, resolved here to bytes (an upload is read from the media bucket).
 */
export type TaskRequest<Body> = Body extends { image: unknown }
  ? Omit<Body, "image"> & { image: MediaSource }
  : Body;

export async function runTask<Body, Result extends TaskResult>(
  task: Task<Body, Result>,
  request: TaskRequest<Body>,
  services: Services,
  stream?: StreamSink,
): Promise<Result> {
  let input = request as unknown as Resolved<Body>;
  if (task.input === "image") {
    const { image, ...rest } = request as { image: MediaSource };
    input = { ...rest, image: await resolveMedia(image, services) } as Resolved<Body>;
  }
  return task.run(input, { ...taskContext(services), ...(stream && { stream }) });
}

/** A model not installed is the operator's to fix (the twin says how); anything else is an error. */
export function logWarmupFailure(error: unknown): void {
  const missing = (error as { code?: string } | undefined)?.code === "model_not_installed";
  log(missing ? "warn" : "error", { warmup: String(error) });
}

/** Loads and runs the task's default models once: call at module load so it happens in Lambda's Init phase. */
export function warmTask(task: Pick<Task, "warm">, services: Services): Promise<void> {
  return task.warm(taskContext(services));
}
