import { InvalidInputError } from "../errors.js";

export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface UploadKey {
  kind: string;
  job: string;
  /** The path below the job folder, e.g. `frame-001.jpg` or `reel/frame-001.jpg`. */
  name: string;
}

/** A key segment that names something: not empty, `.` or `..`. */
export const isPlainSegment = (segment: string) => segment !== "" && segment !== "." && segment !== "..";

/** A key path without `.`/`..` segments, empty segments or backslashes: safe to name results by. */
export function safeKeyPath(path: string): string {
  return path.replace(/\\/g, "/").split("/").filter(isPlainSegment).join("/");
}

/** `uploads/<kind>/<job>/<name>` -> its parts (name made safe); anything else is not a batch upload. */
export function parseUploadKey(key: string): UploadKey {
  const match = /^uploads\/([a-z]+)\/([^/]+)\/(.+)$/.exec(key);
  const name = safeKeyPath(match?.[3] ?? "");
  if (!match?.[1] || !match[2] || !name || !JOB_ID.test(match[2])) {
    throw new InvalidInputError(`"${key}" is not of the form uploads/<kind>/<job>/<name>`);
  }
  return { kind: match[1], job: match[2], name };
}

export function assertJobId(job: string): string {
  if (!JOB_ID.test(job)) throw new InvalidInputError("job must be 1-128 letters, digits, '.', '_' or '-'");
  return job;
}

/** A job's options (model, task options) live in `uploads/<kind>/<job>/manifest.json`. */
export const MANIFEST_NAME = "manifest.json";

export const resultKeys = {
  job: (job: string) => `results/${job}/job.json`,
  frame: (job: string, item: string) => `results/${job}/frames/${item}.json`,
  error: (job: string, item: string) => `results/${job}/errors/${item}.json`,
  sourcesPrefix: (job: string) => `results/${job}/sources/`,
  source: (job: string, name: string) => `results/${job}/sources/${name}.json`,
  uploadsPrefix: (kind: string, job: string) => `uploads/${kind}/${job}/`,
  part: (job: string, name: string, etag: string, index: number) =>
    `results/${job}/parts/${name}/${etag}/${String(index).padStart(6, "0")}.json`,
  partsPrefix: (job: string, name: string, etag: string) => `results/${job}/parts/${name}/${etag}/`,
};
