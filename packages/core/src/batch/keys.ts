import { InvalidInputError } from "../errors.js";

export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface UploadKey {
  kind: string;
  job: string;
  /** The path below the job folder, e.g. `frame-001.jpg` or `reel/frame-001.jpg`. */
  name: string;
}

/** `uploads/<kind>/<job>/<name>` -> its parts; anything else is not a batch upload. */
export function parseUploadKey(key: string): UploadKey {
  const match = /^uploads\/([a-z]+)\/([^/]+)\/(.+)$/.exec(key);
  if (!match?.[1] || !match[2] || !match[3] || !JOB_ID.test(match[2])) {
    throw new InvalidInputError(`"${key}" is not of the form uploads/<kind>/<job>/<name>`);
  }
  return { kind: match[1], job: match[2], name: match[3] };
}

export function assertJobId(job: string): string {
  if (!JOB_ID.test(job)) throw new InvalidInputError("job must be 1-128 letters, digits, '.', '_' or '-'");
  return job;
}

export const resultKeys = {
  job: (job: string) => `results/${job}/job.json`,
  frame: (job: string, item: string) => `results/${job}/frames/${item}.json`,
  error: (job: string, item: string) => `results/${job}/errors/${item}.json`,
  sourcesPrefix: (job: string) => `results/${job}/sources/`,
  source: (job: string, name: string) => `results/${job}/sources/${name}.json`,
  uploadsPrefix: (kind: string, job: string) => `uploads/${kind}/${job}/`,
};
