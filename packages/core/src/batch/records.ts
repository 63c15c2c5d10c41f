import type { ModelRef } from "../tasks/types.js";

export interface SourceRef {
  bucket: string;
  key: string;
  etag: string;
}

export interface ItemOutcome {
  item: string;
  status: "ok" | "failed";
  error?: { code: string; message: string };
}

/** Written once per processed upload: the idempotency record (bucket + key + etag) and what it produced. */
export interface SourceMarker {
  job: string;
  source: SourceRef;
  size: number;
  items: ItemOutcome[];
  models: ModelRef[];
  /** Summed per-phase milliseconds of the upload's frames, plus model-only time. */
  timings: Record<string, number>;
  startedAt: string;
  finishedAt: string;
}

export interface JobSummary {
  job: string;
  status: "running" | "completed";
  uploads: { total: number; processed: number };
  counts: { total: number; ok: number; failed: number };
  errors: Array<{ item: string; source: string; code: string; message: string }>;
  models: ModelRef[];
  timings: Record<string, number> & { wallMs: number; framesPerSecond: number };
  startedAt: string | undefined;
  updatedAt: string;
  resultsPrefix: string;
}
