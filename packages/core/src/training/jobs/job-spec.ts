/**
 * A training job: what to train (kind, algorithm, parameters) on which uploaded data set, under which
 * model name, and whether to promote the new version to `default`. Its id is derived from the request
 * and the data files' ETags, so the same request on the same data is the same job (a retry finds it).
 */
import { createHash } from "node:crypto";
import { z } from "../../schema.js";
import type { BlobInfo } from "../../storage/blob-store.js";
import { algorithms } from "../ratings/algorithms/index.js";

const segment = /^[A-Za-z0-9][\w.-]{0,62}$/;

export const trainingJobRequest = z
  .object({
    kind: z.enum(["ratings"]).describe("ratings: a recommender trained on user-item ratings or events"),
    dataset: z.string().regex(segment).describe("The folder under uploads/training/<kind>/ holding the data"),
    algorithm: z.enum(Object.keys(algorithms) as [string, ...string[]]).default("ease"),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
    model: z
      .string()
      .regex(segment)
      .optional()
      .describe("The recommender's name (model recommender/<name>); <dataset>-<algorithm> by default"),
    promote: z.boolean().default(true).describe("Point the alias default at the new version"),
  })
  .meta({ id: "TrainingJobRequest" });

export type TrainingJobRequest = z.output<typeof trainingJobRequest>;

export interface TrainingJob extends TrainingJobRequest {
  id: string;
  /** The model id the job publishes a version of. */
  modelId: string;
}

export const dataPrefix = (kind: string, dataset: string) => `uploads/training/${kind}/${dataset}/`;
export const jobPrefix = (id: string) => `results/training/${id}/`;
export const reportKeysOf = (id: string) => ({
  json: `${jobPrefix(id)}report.json`,
  html: `${jobPrefix(id)}report.html`,
});

/** The data files of a data set: every object under its folder but job requests (train.json, jobs/). */
export const isDataFile = (key: string, prefix: string): boolean => {
  const rest = key.slice(prefix.length);
  return key.startsWith(prefix) && rest !== "train.json" && !rest.startsWith("jobs/") && !rest.includes("/");
};

export const modelIdOf = (request: TrainingJobRequest): string =>
  `recommender/${request.model ?? `${request.dataset}-${request.algorithm}`}`;

export function trainingJob(request: TrainingJobRequest, files: readonly BlobInfo[]): TrainingJob {
  const hash = createHash("sha256").update(JSON.stringify(request));
  for (const file of [...files].sort((a, b) => a.key.localeCompare(b.key))) {
    hash.update(`\n${file.key}\u0000${file.etag ?? file.size}`);
  }
  const id = `${request.dataset}-${request.algorithm}-${hash.digest("hex").slice(0, 12)}`.slice(0, 100);
  return { ...request, id, modelId: modelIdOf(request) };
}
