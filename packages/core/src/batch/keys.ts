import { InvalidInputError } from "../errors.js";
import { singleItemName } from "./item-names.js";

export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface UploadKey {
  kind: string;
  job: string;
  /** The path below the job folder, e.g. `frame-001.jpg` or `reel/frame-001.jpg`. */
  name: string;
}

/** A key segment that names something: not empty, `.` or `..`. */
export const isPlainSegment = (segment: string) => segment !== "" && segment !== "." && segment !== "..";

/**
 * The path below the job folder as an item name, one per key: nothing is dropped (so `a/../b.jpg` and
 * `a/b.jpg` stay two items); `%` and `\\` are escaped, and `.`, `..` and empty segments are spelled
 * `%2E`, `%2E%2E` and `%EMPTY`, which no other key can produce.
 */
export function uploadItemName(path: string): string {
  return path
    .split("/")
    .map((segment) => {
      if (segment === "") return "%EMPTY";
      if (segment === "." || segment === "..") return segment.replaceAll(".", "%2E");
      return segment.replaceAll("%", "%25").replaceAll("\\", "%5C");
    })
    .join("/");
}

/** `uploads/<kind>/<job>/<name>` -> its parts (see uploadItemName); anything else is not a batch upload. */
export function parseUploadKey(key: string): UploadKey {
  const match = /^uploads\/([a-z][a-z-]*)\/([^/]+)\/(.+)$/s.exec(key);
  if (!match?.[1] || !match[2] || !match[3] || !JOB_ID.test(match[2])) {
    throw new InvalidInputError(`"${key}" is not of the form uploads/<kind>/<job>/<name>`);
  }
  return { kind: match[1], job: match[2], name: uploadItemName(match[3]) };
}

export function assertJobId(job: string): string {
  if (!JOB_ID.test(job)) throw new InvalidInputError("job must be 1-128 letters, digits, '.', '_' or '-'");
  return job;
}

/** A job's options (model, task options) live in `uploads/<kind>/<job>/manifest.json`. */
export const MANIFEST_NAME = "manifest.json";

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** The most UTF-8 bytes an item name may have so its frame, error and item-list keys fit in S3. */
export function maxItemNameBytes(job: string): number {
  const keys = [resultKeys.frame(job, ""), resultKeys.error(job, ""), resultKeys.items(job, "")];
  return MAX_KEY_BYTES - Math.max(...keys.map((key) => new TextEncoder().encode(key).length));
}

export const resultKeys = {
  job: (job: string) => `results/${job}/job.json`,
  frame: (job: string, item: string) => `results/${job}/frames/${item}.json`,
  error: (job: string, item: string) => `results/${job}/errors/${item}.json`,
  /** The item names an archive upload produced (frames.ts), so a re-upload can remove the rest. */
  items: (job: string, item: string) => `results/${job}/items/${item}.json`,
  sourcesPrefix: (job: string) => `results/${job}/sources/`,
  /** Claims of uploads being processed (batch/source.ts), released when done or on twin start. */
  inflightPrefix: (job: string) => `results/${job}/inflight/`,
  source: (job: string, name: string) => boundedKey(`results/${job}/sources/`, name),
  inflight: (job: string, name: string) => boundedKey(`results/${job}/inflight/`, name),
  uploadsPrefix: (kind: string, job: string) => `uploads/${kind}/${job}/`,
  part: (job: string, name: string, etag: string, index: number) =>
    `results/${job}/parts/${name}/${etag}/${String(index).padStart(6, "0")}.json`,
  partsPrefix: (job: string, name: string, etag: string) => `results/${job}/parts/${name}/${etag}/`,
};

/** `<prefix><name>.json`, the name shortened (with a hash) if the key would pass S3's 1,024 bytes. */
function boundedKey(prefix: string, name: string): string {
  const room = MAX_KEY_BYTES - new TextEncoder().encode(`${prefix}.json`).length;
  return `${prefix}${new TextEncoder().encode(name).length <= room ? name : singleItemName(name, room)}.json`;
}
