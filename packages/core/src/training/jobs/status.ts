/** A training job's status, at results/training/<id>/status.json: written at each stage, read by GET. */
import { type BlobStore, getJson, putJson } from "../../storage/blob-store.js";
import type { ProblemSummary } from "../ratings/ingest/problems.js";
import { jobPrefix, type TrainingJob } from "./job-spec.js";

export type JobState = "running" | "succeeded" | "failed";
export type Stage = "ingest" | "evaluate" | "train" | "publish" | "report" | "done";
const STAGES: readonly Stage[] = ["ingest", "evaluate", "train", "publish", "report", "done"];

export interface JobStatus {
  id: string;
  kind: string;
  dataset: string;
  algorithm: string;
  params: TrainingJob["params"];
  state: JobState;
  stage: Stage;
  /** Finished stages over all stages, 0 to 1. */
  progress: number;
  /** Milliseconds per finished stage. */
  timings: Partial<Record<Stage, number>>;
  metrics?: Record<string, unknown>;
  problems: ProblemSummary[];
  error?: { code: string; message: string };
  model?: { id: string; version: string; promoted: boolean };
  report: { json: string; html: string };
  startedAt: string;
  updatedAt: string;
}

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
      stage: "ingest",
      progress: 0,
      timings: {},
      problems: [],
      report: { json: `${jobPrefix(job.id)}report.json`, html: `${jobPrefix(job.id)}report.html` },
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
