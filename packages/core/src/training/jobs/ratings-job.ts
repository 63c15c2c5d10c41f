/**
 * A `ratings` training job, start to end: read the data set's files, ingest (pseudonyms, every problem
 * counted), evaluate on the honest splits beside popularity, retrain on all data, publish a content-addressed
 * version (recommender.json + state.bin + the top-k ONNX graph), move `default` to it, and write the report.
 * Bad data fails the job with a report that lists the rows. A job that already finished is not run again.
 */

import { MaasError } from "../../errors.js";
import { factorTopKModel } from "../../onnx-export/top-k.js";
import { algorithmNamed } from "../ratings/algorithms/index.js";
import type { TrainedRecommender } from "../ratings/algorithms/types.js";
import { type Evaluation, evaluate } from "../ratings/evaluate.js";
import { ingestFiles } from "../ratings/ingest/files.js";
import { pseudonymiser } from "../ratings/ingest/pseudonym.js";
import { encodeState } from "../ratings/state-codec.js";
import { type Embed, itemTexts } from "./item-texts.js";
import { JobFailure, runJob, type TrainingDeps, wrapParams } from "./job-runner.js";
import type { TrainingJob } from "./job-spec.js";
import { promoteVersion, publishVersion } from "./publish.js";
import type { JobStatus } from "./status.js";

export interface RatingsDeps extends TrainingDeps {
  pseudonymKey: string;
  /** Embeds item texts (content and hybrid recommenders with a catalogue beside the ratings). */
  embed?: Embed;
}

/** `textModel`: the embeddings model for plot texts (the embeddings task's default otherwise). */
function textModelOf(params: TrainingJob["params"]): string | undefined {
  const model = params.textModel;
  if (model === undefined) return undefined;
  if (typeof model !== "string") throw new JobFailure("bad_params", "textModel must be a model id");
  return model;
}

/** A textModel that does not resolve, or is not an embeddings model, fails the job as a bad parameter. */
function asBadTextModel(error: unknown): never {
  if (error instanceof MaasError && (error.category === "input" || error.category === "not-found")) {
    throw new JobFailure("bad_params", `textModel: ${error.message}`);
  }
  throw error;
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

export function runRatingsJob(job: TrainingJob, deps: RatingsDeps): Promise<JobStatus> {
  return runJob(job, deps, async ({ writer, status, report, files, now }) => {
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
    const texts =
      algorithm.needsMetadata && deps.embed
        ? await itemTexts(files, dataset, deps.embed, textModelOf(job.params)).catch(asBadTextModel)
        : undefined;
    if (texts) {
      report.data.ignored = ignored.filter((name) => name !== texts.file);
      report.data.itemTexts = `${texts.embeddings.covered} items from ${texts.file}`;
      report.data.textModel = `${texts.model.id}@${texts.model.version}`;
    }
    await writer.advance("evaluate");
    const inputs = { dataset, params: job.params, ...(texts && { embeddings: texts.embeddings }) };
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
  });
}

async function publish(
  job: TrainingJob,
  trained: TrainedRecommender,
  dataset: Parameters<typeof encodeState>[1],
  metrics: Record<string, number>,
  deps: RatingsDeps,
  now: () => Date,
): Promise<NonNullable<JobStatus["model"]>> {
  const current = await deps.versions.alias(job.modelId, "default");
  const { json, bin } = encodeState(trained, dataset);
  const manifest = await publishVersion(
    deps.versions,
    job,
    {
      task: "recommendations",
      format: "marquee-recommender",
      description: `${job.algorithm} recommender trained on ${job.dataset}`,
      files: {
        "recommender.json": new TextEncoder().encode(JSON.stringify(json)),
        "state.bin": bin,
        "model.onnx": topKGraph(trained),
      },
    },
    { params: job.params, dataFingerprint: dataset.fingerprint, metrics, current, now },
  );
  const promoted = job.promote !== false;
  if (promoted) await promoteVersion(deps.versions, job.modelId, manifest.version, current);
  return { id: job.modelId, version: manifest.version, promoted };
}
