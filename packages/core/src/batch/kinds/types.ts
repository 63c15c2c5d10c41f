import type { Services } from "../../services.js";
import type { SourceRef, UnitOutcome } from "../records.js";
import type { BatchItem } from "../source.js";

/** One uploaded object of a job, as a kind sees it. */
export interface SourceContext {
  job: string;
  /** The path below the job folder, made safe to name results by. */
  name: string;
  item: BatchItem;
  source: SourceRef;
  services: Services;
  /** The job's `manifest.json` (options for the whole job), already read; undefined if none. */
  manifest: unknown;
}

/** A piece of a source processed at once: a frame, or a chunk of rows. */
export interface BatchUnit {
  name: string;
  process(): Promise<UnitOutcome>;
}

/**
 * A batch kind: how an upload under `uploads/<kind>/<job>/` becomes units of work, and what happens once
 * every upload of the job is processed. The runner (batch/source.ts) does the rest: idempotency markers,
 * deadlines, job.json.
 */
export interface BatchKind {
  readonly id: string;
  expand(source: SourceContext): AsyncIterable<BatchUnit>;
  /** Runs after the upload that completes the job; must be idempotent (a redelivery may run it again). */
  finalize?(job: string, services: Services, manifest: unknown): Promise<string[]>;
}
