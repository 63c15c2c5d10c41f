import { modelRef, z } from "../schema.js";
import type { ModelRef } from "../tasks/types.js";

export interface SourceRef {
  bucket: string;
  key: string;
  etag: string;
}

export interface ItemError {
  item: string;
  code: string;
  message: string;
  /** For rows of a text or catalogue upload: the 1-based line where the row starts. */
  line?: number;
}

/** What one unit of work (a frame, a chunk of rows) produced. */
export interface UnitOutcome {
  ok: number;
  failed: number;
  errors: ItemError[];
  models: ModelRef[];
  timings: Record<string, number>;
}

/** Written once per processed upload: the idempotency record (bucket + key + etag) and what it produced. */
export interface SourceMarker {
  job: string;
  kind: string;
  source: SourceRef;
  size: number;
  counts: { total: number; ok: number; failed: number };
  /** The first errors of this upload (at most MAX_MARKER_ERRORS). */
  errors: ItemError[];
  models: ModelRef[];
  /** Summed per-phase milliseconds of the upload's items, plus model-only time. */
  timings: Record<string, number>;
  startedAt: string;
  finishedAt: string;
}

export const MAX_MARKER_ERRORS = 1000;

export const JOB_STATUSES = ["queued", "running", "completed", "completed_with_errors", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Every upload processed: finalize and notify. */
export const isFinished = (status: JobStatus): boolean =>
  status === "completed" || status === "completed_with_errors" || status === "failed";

export const jobSummary = z
  .object({
    job: z.string(),
    kind: z.string().describe("The batch kind: frames, text or catalogs"),
    status: z
      .enum(JOB_STATUSES)
      .describe(
        "queued: uploads present, none processed; running; then completed, completed_with_errors (some items failed) or failed (every item failed)",
      ),
    uploads: z.object({ total: z.int(), processed: z.int() }),
    counts: z.object({ total: z.int(), ok: z.int(), failed: z.int() }),
    errors: z
      .array(
        z.object({
          item: z.string(),
          source: z.string(),
          code: z.string(),
          message: z.string(),
          line: z.int().optional(),
        }),
      )
      .describe("The first 1,000 item errors"),
    models: z.array(modelRef),
    timings: z.record(z.string(), z.number()).describe("Summed ms per phase, wallMs, items per second"),
    startedAt: z.string().optional(),
    updatedAt: z.string(),
    resultsPrefix: z.string(),
    outputs: z
      .array(z.string())
      .optional()
      .describe("Files the job wrote once complete, in the results bucket"),
  })
  .meta({ id: "JobSummary" });

export type JobSummary = Omit<z.output<typeof jobSummary>, "timings"> & {
  timings: Record<string, number> & { wallMs: number };
};
