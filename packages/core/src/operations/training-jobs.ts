/**
 * Training jobs at the edge: `POST /v1/training-jobs` checks the request and the data set and writes the
 * job request under the data set's `jobs/` folder; that upload's S3 event starts the training function,
 * as does `train.json` (one job per algorithm it lists). `GET /v1/training-jobs/{id}` reads the status.
 */
import type { BatchItem } from "../batch/source.js";
import { ConfigError, InvalidInputError, NotFoundError } from "../errors.js";
import { bucketTriggers } from "../routes.js";
import { parseWith, z } from "../schema.js";
import type { Services } from "../services.js";
import { getJson, putJson } from "../storage/blob-store.js";
import { embedTexts } from "../tasks/embeddings/index.js";
import { catalogModel } from "../tasks/search/build.js";
import { probabilitiesOf } from "../tasks/sentiment/probabilities.js";
import { chartJsBundle } from "../training/jobs/chart-script.js";
import {
  dataPrefix,
  isDataFile,
  JOB_ID,
  jobPrefix,
  KIND_ALGORITHMS,
  modelIdOf,
  reportKeysOf,
  storedJobRequest,
  type TrainingJob,
  type TrainingKind,
  trainingJob,
  trainingJobRequest,
} from "../training/jobs/job-spec.js";
import { runRatingsJob } from "../training/jobs/ratings-job.js";
import { runSentimentJob } from "../training/jobs/sentiment-job.js";
import { type JobStatus, type QueuedJob, readStatus } from "../training/jobs/status.js";
import { taskContext } from "./inference.js";
import { versionsOf } from "./model-versions.js";

/** How often the training queue delivers a job (the last delivery reports a job that keeps crashing). */
const TRAINING_DELIVERIES =
  bucketTriggers.find((trigger) => trigger.kind === "training")?.maxReceiveCount ?? 3;
const JOB_FILE = /^uploads\/training\/([^/]+)\/([^/]+)\/jobs\/([^/]+)\.json$/;
const TRAIN_FILE = /^uploads\/training\/([^/]+)\/([^/]+)\/train\.json$/;

/** `train.json`: which algorithms to train on the data set beside it, one job each. */
const trainFile = z.object({
  algorithms: z.union([z.literal("all"), z.array(z.string()).min(1)]).default("all"),
  params: z
    .record(z.string(), z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])))
    .default({}),
  promote: z.union([z.boolean(), z.literal("force")]).default(true),
});

const queuedJob = (id: string): QueuedJob => ({
  id,
  state: "queued",
  status: `/v1/training-jobs/${id}`,
  report: reportKeysOf(id),
});

const jobFileKey = (job: TrainingJob) => `${dataPrefix(job.kind, job.dataset)}jobs/${job.id}.json`;

async function queue(job: TrainingJob, services: Services): Promise<QueuedJob> {
  await putJson(services.results, `${jobPrefix(job.id)}request.json`, job);
  await services.media.putIfAbsent(jobFileKey(job), `${JSON.stringify(job, null, 2)}\n`);
  return queuedJob(job.id);
}

async function jobFor(body: unknown, services: Services): Promise<TrainingJob> {
  const request = parseWith(trainingJobRequest, body);
  const prefix = dataPrefix(request.kind, request.dataset);
  const files = (await services.media.list(prefix)).filter((info) => isDataFile(info.key, prefix));
  if (files.length === 0) throw new NotFoundError(`No data files under ${prefix}: upload the data set first`);
  return trainingJob(request, files);
}

export async function startTrainingJob(body: unknown, services: Services): Promise<QueuedJob> {
  return queue(await jobFor(body, services), services);
}

export async function trainingJobStatus(id: string, services: Services): Promise<JobStatus | QueuedJob> {
  if (!JOB_ID.test(id)) throw new InvalidInputError("id: not a training job id");
  const status = await readStatus(services.results, id);
  if (status) return status;
  const queued = await getJson<TrainingJob>(services.results, `${jobPrefix(id)}request.json`);
  if (!queued) throw new NotFoundError(`No training job "${id}"`);
  return queuedJob(id);
}

/** One S3 upload under uploads/training/: a job request runs, train.json fans out, data files wait. */
export async function trainingUpload(item: BatchItem, services: Services): Promise<string> {
  const blob = async () => {
    const stored = await services.media.get(item.key);
    if (!stored) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(stored.bytes)) as unknown;
    } catch {
      return Symbol.for("not-json");
    }
  };
  const fanOut = TRAIN_FILE.exec(item.key);
  if (fanOut) {
    const parsed = trainFile.safeParse(await blob());
    if (!parsed.success)
      return `train.json is not valid (${parsed.error.issues[0]?.message}); nothing started`;
    const kind = fanOut[1] as TrainingKind;
    const names: readonly string[] =
      parsed.data.algorithms === "all" ? (KIND_ALGORITHMS[kind] ?? []) : parsed.data.algorithms;
    const started: string[] = [];
    for (const algorithm of names) {
      const body = {
        kind: fanOut[1],
        dataset: fanOut[2],
        algorithm,
        params: parsed.data.params[algorithm] ?? {},
      };
      const job = await jobFor({ ...body, promote: parsed.data.promote }, services).catch(
        (error: Error) => error,
      );
      started.push(job instanceof Error ? `${algorithm}: ${job.message}` : (await queue(job, services)).id);
    }
    return `train.json: ${started.join(", ")}`;
  }
  const place = JOB_FILE.exec(item.key);
  if (!place) return "a data file: jobs start with train.json or POST /v1/training-jobs";
  const parsed = storedJobRequest.safeParse(await blob());
  if (!parsed.success || parsed.data.kind !== place[1] || parsed.data.dataset !== place[2]) {
    return `not a training job request for ${place[1]}/${place[2]}; nothing started`;
  }
  // The model id is derived here, never taken from the uploaded file.
  const job: TrainingJob = { ...parsed.data, modelId: modelIdOf(parsed.data) };
  const status = await runTrainingJob(job, services);
  return `${job.id}: ${status.state}`;
}

function runTrainingJob(job: TrainingJob, services: Services): Promise<JobStatus> {
  const deps = {
    media: services.media,
    results: services.results,
    versions: versionsOf(services),
    chartJs: chartJsBundle,
    maxAttempts: TRAINING_DELIVERIES - 1,
  };
  if (job.kind === "sentiment") {
    return runSentimentJob(job, {
      ...deps,
      classify: async (texts, reference) => {
        const entry = await services.modelAccess.resolve(reference);
        const { labels, rows } = await probabilitiesOf(entry, texts, taskContext(services));
        return { labels, rows, model: { id: entry.id, version: entry.version } };
      },
    });
  }
  const { pseudonymKey } = services.config;
  if (!pseudonymKey) throw new ConfigError("MAAS_PSEUDONYM_KEY is not set: user ids cannot be pseudonymised");
  return runRatingsJob(job, {
    ...deps,
    pseudonymKey,
    embed: async (texts, model) => {
      const context = taskContext(services);
      const entry = await catalogModel(model, context);
      const { vectors } = await embedTexts(texts, entry, context);
      return { vectors, model: { id: entry.id, version: entry.version } };
    },
  });
}
