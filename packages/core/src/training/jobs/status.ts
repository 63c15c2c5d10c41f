/** A training job's status, at results/training/<id>/status.json: written at each stage, read by GET. */

import { z } from "../../schema.js";
import { type BlobStore, getJson, putJson } from "../../storage/blob-store.js";
import { jobPrefix, reportKeysOf, type TrainingJob } from "./job-spec.js";

const STAGES = ["ingest", "evaluate", "train", "publish", "report", "done"] as const;
export type Stage = (typeof STAGES)[number];

const reportKeys = z.object({ json: z.string(), html: z.string() }).describe("Keys in the results bucket");

export const jobStatusSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    dataset: z.string(),
    algorithm: z.string(),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    state: z.enum(["running", "succeeded", "failed"]),
    attempts: z.number().describe("Runs of the training function so far (a crashed run is retried)"),
    stage: z.enum(STAGES),
    progress: z.number().min(0).max(1).describe("Finished stages over all stages"),
    timings: z.partialRecord(z.enum(STAGES), z.number()).describe("Milliseconds per finished stage"),
    metrics: z.record(z.string(), z.number()).optional(),
    problems: z.array(
      z.object({
        kind: z.string(),
        severity: z.enum(["error", "warning"]),
        file: z.string(),
        message: z.string(),
        count: z.number().describe("All occurrences, listed or not"),
        rows: z.array(z.object({ row: z.number(), detail: z.string() })).describe("The first ones"),
      }),
    ),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    model: z.object({ id: z.string(), version: z.string(), promoted: z.boolean() }).optional(),
    report: reportKeys,
    startedAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "TrainingJobStatus" });

export type JobStatus = z.output<typeof jobStatusSchema>;
export type JobState = JobStatus["state"];

export const queuedJobSchema = z
  .object({
    id: z.string(),
    state: z.literal("queued"),
    status: z.string().describe("GET this path for the job's progress"),
    report: reportKeys,
  })
  .meta({ id: "QueuedTrainingJob" });

export type QueuedJob = z.output<typeof queuedJobSchema>;

export const statusKey = (id: string) => `${jobPrefix(id)}status.json`;

export const readStatus = (results: BlobStore, id: string) => getJson<JobStatus>(results, statusKey(id));

/** Writes the status as it changes, stage by stage; `finished` ones are never rewritten by a retry. */
export class StatusWriter {
  readonly status: JobStatus;
  private stageStarted = performance.now();

  constructor(
    private readonly results: BlobStore,
    job: TrainingJob,
    private readonly now: () => Date,
  ) {
    const at = now().toISOString();
    this.status = {
      id: job.id,
      kind: job.kind,
      dataset: job.dataset,
      algorithm: job.algorithm,
      params: job.params,
      state: "running",
      attempts: 1,
      stage: "ingest",
      progress: 0,
      timings: {},
      problems: [],
      report: reportKeysOf(job.id),
      startedAt: at,
      updatedAt: at,
    };
  }

  save(): Promise<void> {
    this.status.updatedAt = this.now().toISOString();
    return putJson(this.results, statusKey(this.status.id), this.status);
  }

  /** Ends the current stage (its time is recorded) and starts `next`. */
  advance(next: Stage): Promise<void> {
    const ended = this.status.stage;
    this.status.timings[ended] = Math.round(performance.now() - this.stageStarted);
    this.stageStarted = performance.now();
    this.status.stage = next;
    this.status.progress = STAGES.indexOf(next) / (STAGES.length - 1);
    return this.save();
  }

  finish(state: Exclude<JobState, "running">, error?: JobStatus["error"]): Promise<void> {
    this.status.state = state;
    if (error) this.status.error = error;
    return state === "succeeded" ? this.advance("done") : this.save();
  }
}
