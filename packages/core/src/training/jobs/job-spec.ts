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
export const JOB_ID = /^[A-Za-z0-9][\w.-]{0,99}$/;

/** The algorithms of each kind, the first one the default. */
export const KIND_ALGORITHMS = {
  ratings: ["ease", ...Object.keys(algorithms).filter((name) => name !== "ease")],
  sentiment: ["logistic"],
} as const satisfies Record<string, readonly string[]>;
export type TrainingKind = keyof typeof KIND_ALGORITHMS;

const requestShape = z.object({
  kind: z
    .enum(Object.keys(KIND_ALGORITHMS) as [TrainingKind, ...TrainingKind[]])
    .describe(
      "ratings: a recommender on user-item ratings or events; sentiment: a text classifier on labelled texts",
    ),
  dataset: z.string().regex(segment).describe("The folder under uploads/training/<kind>/ holding the data"),
  algorithm: z
    .string()
    .optional()
    .describe(`ratings: ${KIND_ALGORITHMS.ratings.join(", ")} (default ease); sentiment: logistic (default)`),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  model: z
    .string()
    .regex(segment)
    .optional()
    .describe(
      "The model's name: recommender/<name> (default <dataset>-<algorithm>) or sentiment/<name> (default reviews, what POST /v1/sentiment serves)",
    ),
  promote: z
    .union([z.boolean(), z.literal("force")])
    .default(true)
    .describe(
      'true: point the alias default at the new version (a sentiment version only if it beats the current default on the same test split); "force": always; false: never',
    ),
});

function checkAlgorithm(
  request: { kind: TrainingKind; algorithm?: string | undefined },
  context: z.RefinementCtx,
): void {
  const known: readonly string[] = KIND_ALGORITHMS[request.kind];
  if (request.algorithm !== undefined && !known.includes(request.algorithm)) {
    context.addIssue({
      code: "custom",
      path: ["algorithm"],
      message: `${request.kind} algorithms are ${known.join(", ")}`,
    });
  }
}

export const trainingJobRequest = requestShape.superRefine(checkAlgorithm).meta({ id: "TrainingJobRequest" });

/** A job request as stored under the data set's jobs/ folder. */
export const storedJobRequest = requestShape
  .extend({ id: z.string().regex(JOB_ID), algorithm: z.string() })
  .superRefine(checkAlgorithm);

export type TrainingJobRequest = z.output<typeof trainingJobRequest>;

export interface TrainingJob extends TrainingJobRequest {
  id: string;
  algorithm: string;
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

export const modelIdOf = (request: TrainingJobRequest & { algorithm: string }): string =>
  request.kind === "sentiment"
    ? `sentiment/${request.model ?? "reviews"}`
    : `recommender/${request.model ?? `${request.dataset}-${request.algorithm}`}`;

export function trainingJob(request: TrainingJobRequest, files: readonly BlobInfo[]): TrainingJob {
  const complete = { ...request, algorithm: request.algorithm ?? KIND_ALGORITHMS[request.kind][0] };
  const hash = createHash("sha256").update(JSON.stringify(complete));
  for (const file of [...files].sort((a, b) => a.key.localeCompare(b.key))) {
    hash.update(`\n${file.key}\u0000${file.etag ?? file.size}`);
  }
  const id = `${request.dataset}-${complete.algorithm}-${hash.digest("hex").slice(0, 12)}`.slice(0, 100);
  return { ...complete, id, modelId: modelIdOf(complete) };
}
