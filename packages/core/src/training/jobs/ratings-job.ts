/**
 * A `ratings` training job, start to end: read the data set's files, ingest (pseudonyms, every problem
 * counted), evaluate on the honest splits beside popularity, retrain on all data, publish a content-addressed
 * version (recommender.json + state.bin + the top-k ONNX graph), move `default` to it, and write the report.
 * Bad data fails the job with a report that lists the rows. A job that already finished is not run again.
 */

import type { ModelVersions } from "../../model-store/versions.js";
import { factorTopKModel } from "../../onnx-export/top-k.js";
import type { BlobStore } from "../../storage/blob-store.js";
import { putJson } from "../../storage/blob-store.js";
import { algorithmNamed } from "../ratings/algorithms/index.js";
import type { TrainedRecommender } from "../ratings/algorithms/types.js";
import { type Evaluation, evaluate } from "../ratings/evaluate.js";
import { ingestFiles, type UploadedFile } from "../ratings/ingest/files.js";
import { pseudonymiser } from "../ratings/ingest/pseudonym.js";
import { encodeState } from "../ratings/state-codec.js";
import { dataPrefix, isDataFile, type TrainingJob } from "./job-spec.js";
import { reportHtml, type TrainingReport } from "./report.js";
import { type JobStatus, readStatus, StatusWriter } from "./status.js";

/** What one Lambda invocation (10 GB, 15 min) trains; MovieLens-1M (24 MB, 1,000,209 ratings) fits. */
export const MAX_DATA_BYTES = 200 * 1024 * 1024;

export interface TrainingDeps {
  media: BlobStore;
  results: BlobStore;
  versions: ModelVersions;
  pseudonymKey: string;
  /** Chart.js's UMD bundle, inlined into report.html. */
  chartJs: () => Promise<string>;
  now?: () => Date;
}

class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
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

function flatMetrics(evaluation: Evaluation): Record<string, number> {
  const { model, popularity } = evaluation.ranking;
  const metrics: Record<string, number> = {
    [`precision@${model.k}`]: model.precision,
    [`recall@${model.k}`]: model.recall,
    [`ndcg@${model.k}`]: model.ndcg,
    [`hitRate@${model.k}`]: model.hitRate,
    coverage: model.coverage,
    [`popularity.ndcg@${model.k}`]: popularity.ndcg,
  };
  if (evaluation.ratingError) {
    metrics.rmse = evaluation.ratingError.model.rmse;
    metrics.mae = evaluation.ratingError.model.mae;
    metrics["popularity.rmse"] = evaluation.ratingError.popularity.rmse;
  }
  return metrics;
}

function topKGraph(trained: TrainedRecommender): Uint8Array {
  const { dims, items, matrix, bias } = trained.scorer;
  const itemFactors = new Float32Array(items * dims);
  for (let d = 0; d < dims; d++) {
    for (let i = 0; i < items; i++) itemFactors[i * dims + d] = matrix[d * items + i] as number;
  }
  return factorTopKModel({ itemFactors, items, dimensions: dims, itemBias: bias });
}

export async function runRatingsJob(job: TrainingJob, deps: TrainingDeps): Promise<JobStatus> {
  const done = await readStatus(deps.results, job.id);
  if (done && done.state !== "running") return done;
  const now = deps.now ?? (() => new Date());
  const writer = new StatusWriter(deps.results, job, now);
  const status = writer.status;
  const report: TrainingReport = { job: status, problems: [], curve: [] };
  await writer.save();
  try {
    const files = await dataFiles(job, deps.media);
    const { dataset, log, ignored } = ingestFiles(files, pseudonymiser(deps.pseudonymKey));
    status.problems = report.problems = log.summaries();
    if (!dataset || report.problems.some((problem) => problem.severity === "error")) {
      const count = report.problems.reduce((sum, problem) => sum + problem.count, 0);
      throw new JobFailure("bad_data", `The data set has ${count} problems; the report lists their rows`);
    }
    report.data = {
      files: files.map((file) => file.name),
      ignored,
      ratings: dataset.users.length,
      users: dataset.userIds.length,
      items: dataset.itemIds.length,
      implicit: dataset.implicit,
      fingerprint: dataset.fingerprint,
    };
    const algorithm = algorithmNamed(job.algorithm);
    if (algorithm.needsMetadata && !dataset.metadata) {
      throw new JobFailure("bad_data", `${job.algorithm} needs item metadata: upload u.item or movies.dat`);
    }
    await writer.advance("evaluate");
    const inputs = { dataset, params: job.params };
    const evaluation = wrapParams(() => evaluate(job.algorithm, inputs));
    report.evaluation = evaluation;
    const metrics = flatMetrics(evaluation);
    status.metrics = metrics;
    await writer.advance("train");
    const trained = wrapParams(() => algorithm.train(inputs));
    report.curve = trained.curve ?? [];
    await writer.advance("publish");
    const model = await publish(job, trained, dataset, metrics, deps, now);
    status.model = report.model = model;
    await writer.advance("report");
    await writeReport(report, deps);
    await writer.finish("succeeded");
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error;
    report.error = status.error = { code: error.code, message: error.message };
    status.state = "failed";
    await writeReport(report, deps);
    await writer.finish("failed", status.error);
  }
  return status;
}

/** A bad parameter (RangeError from the algorithm) fails the job with its message. */
function wrapParams<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new JobFailure("bad_params", error.message);
    throw error;
  }
}

async function publish(
  job: TrainingJob,
  trained: TrainedRecommender,
  dataset: Parameters<typeof encodeState>[1],
  metrics: Record<string, number>,
  deps: TrainingDeps,
  now: () => Date,
): Promise<NonNullable<JobStatus["model"]>> {
  const current = await deps.versions.alias(job.modelId, "default");
  const { json, bin } = encodeState(trained, dataset);
  const { manifest } = await deps.versions.publish(
    {
      id: job.modelId,
      task: "recommendations",
      format: "marquee-recommender",
      description: `${job.algorithm} recommender trained on ${job.dataset}`,
      licence: "Trained on the deployer's own data",
      source: dataPrefix(job.kind, job.dataset),
      graph: "model.onnx",
      inputs: [],
      outputs: [],
      preprocess: {},
      postprocess: {},
      labels: [],
      training: {
        job: job.id,
        kind: job.kind,
        algorithm: job.algorithm,
        params: job.params,
        dataFingerprint: dataset.fingerprint,
        metrics,
        createdAt: now().toISOString(),
        parent: current ? { model: current.model, version: current.version } : null,
      },
    },
    {
      "recommender.json": new TextEncoder().encode(JSON.stringify(json)),
      "state.bin": bin,
      "model.onnx": topKGraph(trained),
    },
  );
  const target = { model: job.modelId, version: manifest.version };
  const already = current?.model === target.model && current.version === target.version;
  if (job.promote && !already)
    await deps.versions.moveAlias(job.modelId, "default", target, current?.seq ?? 0);
  return { id: job.modelId, version: manifest.version, promoted: job.promote };
}

async function writeReport(report: TrainingReport, deps: TrainingDeps): Promise<void> {
  const { json, html } = (report.job as JobStatus).report;
  await putJson(deps.results, json, report);
  await deps.results.put(html, reportHtml(report, await deps.chartJs()), {
    contentType: "text/html; charset=utf-8",
  });
}
