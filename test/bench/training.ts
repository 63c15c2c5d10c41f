/**
 * Training and serving trained models, measured on this machine (part of `npm run bench`; alone:
 * `npm run bench:training`): training time per algorithm on MovieLens-100k (one core), a whole EASE job
 * through the twin (S3 → SQS → the training function), warm top-10 latency through the recommendations
 * handler beside a minimal script and bare session.run, top 10 over a synthetic 100,000-item catalogue,
 * the sentiment trainer's time on IMDB-4000 (80%) + rt-polarity, a whole sentiment job through the twin, and
 * warm requests served by the trained (stacked) classifier.
 */
import { readFileSync } from "node:fs";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client, runTask, services } from "@marquee/core";
import { recommendationsTask } from "@marquee/core/tasks/recommendations";
import { sentimentTask } from "@marquee/core/tasks/sentiment";
import type { Twin } from "@marquee/core/twin";
import { exportedSession } from "../../packages/core/src/onnx-export/session.js";
import { factorTopKModel } from "../../packages/core/src/onnx-export/top-k.js";
import { versionsOf } from "../../packages/core/src/operations/model-versions.js";
import { randomMatrix } from "../../packages/core/src/training/random.js";
import { algorithmNamed, algorithms } from "../../packages/core/src/training/ratings/algorithms/index.js";
import { ingestFiles } from "../../packages/core/src/training/ratings/ingest/files.js";
import { pseudonymiser } from "../../packages/core/src/training/ratings/ingest/pseudonym.js";
import { DEFAULT_FEATURES, featuresOf } from "../../packages/core/src/training/sentiment/features.js";
import { trainLogistic } from "../../packages/core/src/training/sentiment/logistic.js";
import { imdbReviews } from "../support/reviews.js";
import { sharedData } from "../support/shared.js";
import { type ColdResult, measureColdStarts } from "./cold.js";
import { type EndpointBench, measure } from "./endpoint.js";
import { loadHandler } from "./handler.js";
import { round, type Summary, summarise } from "./stats.js";

export interface TrainingBench {
  trainSecondsMovieLens100k: Record<string, number>;
  easeJobThroughTwinSeconds: number;
  recommendations: EndpointBench;
  topK100kItems: { items: number; dimensions: number; sessionRunMs: Summary };
  sentimentTrainingSeconds: { examples: number; seconds: number };
  sentimentJobThroughTwin: { seconds: number; metrics: Record<string, number> };
  trainedSentiment: EndpointBench;
  /** Packaged functions (as SST ships them), fresh processes, to the first answer: medians of 3. */
  coldStarts: Record<string, ColdResult["median"] & { rssAtFirstAnswerMb: number }>;
  /** Reading where `default` points (what serving does at most once per MAAS_ALIAS_TTL_MS per process). */
  aliasCheckMs: Summary;
}

const COLD_STARTS = 3;
const seconds = (started: number) => round((performance.now() - started) / 1000, 2);

function trainTimes(progress: (line: string) => void): Record<string, number> {
  const files = ["u.data", "u.item"].map((name) => ({
    name,
    bytes: readFileSync(sharedData(`movielens-100k/${name}`)),
  }));
  const { dataset } = ingestFiles(files, pseudonymiser("bench-pseudonym-key-0123"));
  if (!dataset) throw new Error("MovieLens-100k did not ingest");
  const times: Record<string, number> = {};
  for (const name of Object.keys(algorithms)) {
    progress(`training: ${name} on MovieLens-100k`);
    const started = performance.now();
    algorithmNamed(name).train({ dataset, params: {} });
    times[name] = seconds(started);
  }
  return times;
}

async function trainingJob(
  twin: Twin,
  kind: string,
  dataset: string,
  files: Record<string, string>,
  request: Record<string, unknown>,
) {
  const s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  const started = performance.now();
  for (const [name, path] of Object.entries(files)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: twin.buckets.media,
        Key: `uploads/training/${kind}/${dataset}/${name}`,
        Body: readFileSync(sharedData(path)),
      }),
    );
  }
  const response = await fetch(`${twin.apiUrl}/v1/training-jobs`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": twin.apiKey },
    body: JSON.stringify({ kind, dataset, ...request }),
  });
  const { id } = (await response.json()) as { id: string };
  await twin.idle();
  const status = (await (
    await fetch(`${twin.apiUrl}/v1/training-jobs/${id}`, { headers: { "x-api-key": twin.apiKey } })
  ).json()) as { state: string; metrics: Record<string, number> };
  if (status.state !== "succeeded") throw new Error(`bench ${kind} job: ${status.state}`);
  return { seconds: seconds(started), metrics: status.metrics };
}

const easeJob = async (twin: Twin) =>
  (
    await trainingJob(
      twin,
      "ratings",
      "bench",
      { "u.data": "movielens-100k/u.data", "u.item": "movielens-100k/u.item" },
      { algorithm: "ease" },
    )
  ).seconds;

/** IMDB-4000 + rt-polarity, as sentiment/bench (the deployment's sentiment/reviews is left alone). */
async function sentimentJob(twin: Twin): Promise<TrainingBench["sentimentJobThroughTwin"]> {
  const files = Object.fromEntries(
    ["imdb-4000.csv", "rt-polarity.pos", "rt-polarity.neg"].map((name) => [name, `reviews/${name}`]),
  );
  const { seconds: taken, metrics } = await trainingJob(twin, "sentiment", "bench", files, {
    model: "bench",
  });
  const kept = ["accuracy", "baseline.accuracy", "accuracy.imdb-4000.csv", "baseline.accuracy.imdb-4000.csv"];
  return {
    seconds: taken,
    metrics: Object.fromEntries(kept.map((name) => [name, round(metrics[name] ?? 0, 4)])),
  };
}

async function aliasCheck(): Promise<Summary> {
  const versions = versionsOf(services());
  const times: number[] = [];
  for (let run = 0; run < 53; run++) {
    const started = performance.now();
    await versions.alias("recommender/bench-ease", "default");
    if (run >= 3) times.push(performance.now() - started);
  }
  return summarise(times);
}

async function topK100k(): Promise<TrainingBench["topK100kItems"]> {
  const items = 100_000;
  const dimensions = 64;
  const session = await exportedSession(
    factorTopKModel({ itemFactors: randomMatrix(items, dimensions, 0.1, 5), items, dimensions }),
  );
  const feeds = {
    user_vector: {
      type: "float32" as const,
      data: randomMatrix(1, dimensions, 0.1, 6),
      dims: [1, dimensions],
    },
    seen_mask: { type: "float32" as const, data: new Float32Array(items), dims: [1, items] },
    k: { type: "int64" as const, data: BigInt64Array.of(10n), dims: [1] },
  };
  const times: number[] = [];
  for (let run = 0; run < 53; run++) {
    const started = performance.now();
    await session.run(feeds);
    if (run >= 3) times.push(performance.now() - started);
  }
  await session.release();
  return { items, dimensions, sessionRunMs: summarise(times) };
}

function sentimentTraining(): TrainingBench["sentimentTrainingSeconds"] {
  const reviews = imdbReviews().slice(0, 3200);
  const snippets = ["pos", "neg"].flatMap((polarity) =>
    readFileSync(sharedData(`reviews/rt-polarity.${polarity}`), "latin1")
      .split("\n")
      .filter(Boolean)
      .map((text) => ({ text, label: polarity === "pos" ? 0 : 1 })),
  );
  const started = performance.now();
  const examples = [
    ...reviews.map((review) => ({ text: review.text, label: review.positive ? 0 : 1 })),
    ...snippets,
  ].map(({ text, label }) => ({ features: featuresOf(text, DEFAULT_FEATURES), label }));
  trainLogistic(examples, { classes: 2, buckets: DEFAULT_FEATURES.buckets });
  return { examples: examples.length, seconds: seconds(started) };
}

export async function benchTraining(twin: Twin, progress: (line: string) => void): Promise<TrainingBench> {
  const trainSecondsMovieLens100k = trainTimes(progress);
  progress("training: an EASE job on MovieLens-100k through the twin");
  const easeJobThroughTwinSeconds = await easeJob(twin);
  progress("training: warm top-10 recommendations through the handler");
  const handler = await loadHandler("functions/http/recommendations.handler");
  const users = ["196", "186", "22", "244", "166"];
  const bodies = users.map((user) => ({ recommender: "bench-ease", user, k: 10 }));
  const recommendations = await measure(
    "recommendations",
    handler,
    "/v1/recommendations",
    bodies,
    (body) => runTask(recommendationsTask, body as never, services()),
    twin.apiKey,
    1,
  );
  progress("training: top 10 of a synthetic 100,000-item catalogue (session.run)");
  const topK100kItems = await topK100k();
  progress("training: the sentiment trainer on IMDB (3,200) + rt-polarity (10,662)");
  const sentimentTrainingSeconds = sentimentTraining();
  progress("training: a sentiment job on IMDB-4000 + rt-polarity through the twin");
  const sentimentJobThroughTwin = await sentimentJob(twin);
  progress("training: warm sentiment through the handler, served by the trained (stacked) version");
  const sentimentHandler = await loadHandler("functions/http/sentiment.handler");
  const reviews = imdbReviews().slice(0, 40);
  const sentimentBodies = Array.from({ length: 5 }, (_, i) => ({
    texts: reviews.slice(i * 8, i * 8 + 8).map((review) => review.text),
    model: "sentiment/bench",
  }));
  const trainedSentiment = await measure(
    "sentiment (trained, stacked)",
    sentimentHandler,
    "/v1/sentiment",
    sentimentBodies,
    (body) => runTask(sentimentTask, body as never, services()),
    twin.apiKey,
    8,
  );
  progress("training: alias checks (the models bucket through the twin's S3)");
  const aliasCheckMs = await aliasCheck();
  const coldStarts: TrainingBench["coldStarts"] = {};
  for (const [routeId, body] of [
    ["Recommendations", bodies[0]],
    ["SimilarItems", { recommender: "bench-ease", item: "50", k: 10 }],
    ["Sentiment", sentimentBodies[0]],
  ] as const) {
    progress(`training: packaged cold starts of ${routeId}`);
    const cold = await measureColdStarts(twin, COLD_STARTS, "bundle", { json: { routeId, body } });
    const rss = cold.runs.map((run) => run.rssAtFirstAnswerKb / 1024).sort((a, b) => a - b);
    coldStarts[routeId] = {
      ...cold.median,
      rssAtFirstAnswerMb: round(rss[Math.floor(rss.length / 2)] ?? 0, 1),
    };
  }
  return {
    trainSecondsMovieLens100k,
    easeJobThroughTwinSeconds,
    recommendations,
    topK100kItems,
    sentimentTrainingSeconds,
    sentimentJobThroughTwin,
    trainedSentiment,
    coldStarts,
    aliasCheckMs,
  };
}

export function printTraining(result: TrainingBench): void {
  console.log("\nTraining on MovieLens-100k, one core (seconds)");
  console.table(result.trainSecondsMovieLens100k);
  console.log(`EASE job through the twin: ${result.easeJobThroughTwinSeconds} s`);
  console.table(
    [result.recommendations, result.trainedSentiment].map((r) => ({
      endpoint: r.name,
      "request p50 ms": r.requestMs.p50,
      "request p95 ms": r.requestMs.p95,
      "minimal p50 ms": r.minimalMs.p50,
      "model p50 ms": r.modelMs.p50,
      "request ÷ model": r.overheadRatioP50,
      "handler ÷ minimal": r.handlerOverMinimalP50,
    })),
  );
  console.log("top 10 of 100,000 items (session.run ms):", result.topK100kItems.sessionRunMs);
  console.log("sentiment trainer:", result.sentimentTrainingSeconds);
  console.log("sentiment job through the twin:", result.sentimentJobThroughTwin);
  console.log("packaged cold starts (median ms; Sentiment served by the trained, stacked version)");
  console.table(result.coldStarts);
  console.log("alias check (ms):", result.aliasCheckMs);
}
