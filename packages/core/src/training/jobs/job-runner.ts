/**
 * What every training job shares: its data files (bounded by what one function can train), the status
 * written stage by stage, the report written whether it succeeds or fails, a known failure (bad data, bad
 * parameters) turned into a failed job, a job that already finished never run again.
 */
import { log } from "../../log.js";
import type { ModelVersions } from "../../model-store/versions.js";
import type { BlobStore } from "../../storage/blob-store.js";
import { putJson } from "../../storage/blob-store.js";
import type { UploadedFile } from "../ratings/ingest/files.js";
import { dataPrefix, isDataFile, type TrainingJob } from "./job-spec.js";
import { reportHtml, type TrainingReport } from "./report.js";
import { type JobStatus, readStatus, StatusWriter } from "./status.js";

/** What one Lambda invocation (10 GB, 15 min) trains; MovieLens-1M (24 MB, 1,000,209 ratings) fits. */
export const MAX_DATA_BYTES = 200 * 1024 * 1024;

export interface TrainingDeps {
  media: BlobStore;
  results: BlobStore;
  versions: ModelVersions;
  /** Chart.js's UMD bundle, inlined into report.html. */
  chartJs: () => Promise<string>;
  now?: () => Date;
  /**
   * Runs before a job that keeps crashing is reported failed. The queue delivers a message once more than
   * this (routes.ts maxReceiveCount), so the last delivery can report a run that was killed (timeout, memory).
   */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 2;
const GAVE_UP = {
  code: "internal_error",
  message: "The training function failed on every attempt; its logs say why",
};

/** A failure the job reports (its code and message go into the status and the report). */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface JobRun {
  writer: StatusWriter;
  status: JobStatus;
  report: TrainingReport;
  files: UploadedFile[];
  now: () => Date;
}

async function dataFiles(job: TrainingJob, media: BlobStore): Promise<UploadedFile[]> {
  const prefix = dataPrefix(job.kind, job.dataset);
  const listed = (await media.list(prefix)).filter((info) => isDataFile(info.key, prefix));
  if (listed.length === 0) throw new JobFailure("no_data", `No data files under ${prefix}`);
  const total = listed.reduce((sum, info) => sum + info.size, 0);
  if (total > MAX_DATA_BYTES) {
    throw new JobFailure(
      "too_large",
      `The data set is ${total} bytes; one training function takes up to ${MAX_DATA_BYTES}: run the container trainer (README, "Training larger data sets")`,
    );
  }
  const files: UploadedFile[] = [];
  for (const info of listed) {
    const blob = await media.get(info.key);
    if (blob) files.push({ name: info.key.slice(prefix.length), bytes: blob.bytes });
  }
  return files;
}

async function writeReport(report: TrainingReport, deps: TrainingDeps): Promise<void> {
  const { json, html } = (report.job as JobStatus).report;
  await putJson(deps.results, json, report);
  await deps.results.put(html, reportHtml(report, await deps.chartJs()), {
    contentType: "text/html; charset=utf-8",
  });
}

/** Runs `train` (which advances the stages up to "report") inside the shared status and report handling. */
export async function runJob(
  job: TrainingJob,
  deps: TrainingDeps,
  train: (run: JobRun) => Promise<void>,
): Promise<JobStatus> {
  const previous = await readStatus(deps.results, job.id);
  if (previous && previous.state !== "running") return previous;
  const now = deps.now ?? (() => new Date());
  const writer = new StatusWriter(deps.results, job, now);
  const status = writer.status;
  const report: TrainingReport = { job: status, problems: [], curve: [] };
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  status.attempts = (previous?.attempts ?? 0) + 1;
  const fail = async (error: { code: string; message: string }) => {
    report.error = status.error = error;
    status.state = "failed";
    await writeReport(report, deps);
    await writer.finish("failed", status.error);
    return status;
  };
  if (status.attempts > maxAttempts) return fail(GAVE_UP);
  await writer.save();
  try {
    const files = await dataFiles(job, deps.media);
    await train({ writer, status, report, files, now });
    status.state = "succeeded"; // the report shows the outcome; the status file says so once it is written
    await writeReport(report, deps);
    await writer.finish("succeeded");
  } catch (error) {
    if (error instanceof JobFailure) return fail({ code: error.code, message: error.message });
    if (status.attempts >= maxAttempts) {
      log("error", { message: "training job failed on its last attempt", job: job.id, error: String(error) });
      return fail(GAVE_UP);
    }
    throw error;
  }
  return status;
}

/** A bad parameter (a RangeError from the trainer) fails the job with its message. */
export function wrapParams<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new JobFailure("bad_params", error.message);
    throw error;
  }
}
