/**
 * The text suite measured on this machine (part of `npm run bench`; alone: `npm run bench:text`):
 * sentiment reviews/s at batch 1 and 32, embeddings/s, search p50 on the demo catalogue and on a synthetic
 * 100,000-item one, a 4,000-review batch job's rows/s, and for each endpoint the handler, a minimal script
 * doing the same work on the same runtime (core's runTask, no edge), and bare session.run, so that both the
 * overhead ratio (request ÷ model) and the gap to the minimal script show.
 */
import { readFileSync } from "node:fs";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  buildCatalog,
  createS3Client,
  type JobSummary,
  runTask,
  type Services,
  services,
} from "@marquee/core";
import { embeddingsTask } from "@marquee/core/tasks/embeddings";
import { searchTask } from "@marquee/core/tasks/search";
import { sentimentTask } from "@marquee/core/tasks/sentiment";
import type { Twin } from "@marquee/core/twin";
import { fieldText } from "../../packages/core/src/tasks/search/build.js";
import { encodeCatalog } from "../../packages/core/src/tasks/search/catalog-index.js";
import { saveCatalog } from "../../packages/core/src/tasks/search/catalog-store.js";
import { imdbReviews } from "../support/reviews.js";
import { sharedData } from "../support/shared.js";
import { measure } from "./endpoint.js";
import { loadHandler } from "./handler.js";
import { round } from "./stats.js";

function syntheticCatalog(count: number, dimensions: number) {
  let seed = 42;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const words =
    "heist twist love war space ghost robot detective family comedy city night ocean king storm".split(" ");
  const items = Array.from({ length: count }, (_, i) => ({
    id: `item-${i}`,
    title: `${words[i % words.length]} ${words[(i * 7) % words.length]} ${i}`,
    genres: [words[(i * 3) % words.length] as string],
  }));
  const vectors = items.map(() => {
    const vector = Float32Array.from({ length: dimensions }, () => random() - 0.5);
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  });
  return { items, vectors };
}

async function batchJob(twin: Twin, shared: Services) {
  const s3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
  const started = performance.now();
  await s3.send(
    new PutObjectCommand({
      Bucket: twin.buckets.media,
      Key: "uploads/text/bench/imdb-4000.csv",
      Body: readFileSync(sharedData("reviews/imdb-4000.csv")),
    }),
  );
  await twin.idle();
  const wallS = (performance.now() - started) / 1000;
  const blob = await shared.results.get("results/bench/job.json");
  const job = JSON.parse(new TextDecoder().decode(blob?.bytes)) as JobSummary;
  return {
    rows: job.counts.total,
    status: job.status,
    wallS: round(wallS, 2),
    rowsPerSecond: round(job.counts.total / wallS, 1),
  };
}

export async function benchText(twin: Twin, progress: (line: string) => void) {
  const shared = services();
  const reviews = imdbReviews().map((review) => review.text);
  const batches = (size: number) =>
    Array.from({ length: 20 }, (_, i) => ({ texts: reviews.slice(i * size, (i + 1) * size) }));
  const sentimentHandler = await loadHandler("functions/http/sentiment.handler");
  const embeddingsHandler = await loadHandler("functions/http/embeddings.handler");
  const searchHandler = await loadHandler("functions/http/search.handler");
  const minimalOf =
    (task: typeof sentimentTask | typeof embeddingsTask | typeof searchTask) => (body: unknown) =>
      runTask(task as typeof sentimentTask, body as never, shared);

  progress("text: sentiment at batch 1 and 32, embeddings at batch 32");
  const endpoints = [
    await measure(
      "sentiment x1",
      sentimentHandler,
      "/v1/sentiment",
      batches(1),
      minimalOf(sentimentTask),
      twin.apiKey,
      1,
    ),
    await measure(
      "sentiment x32",
      sentimentHandler,
      "/v1/sentiment",
      batches(32),
      minimalOf(sentimentTask),
      twin.apiKey,
      32,
    ),
    await measure(
      "embeddings x32",
      embeddingsHandler,
      "/v1/embeddings",
      batches(32),
      minimalOf(embeddingsTask),
      twin.apiKey,
      32,
    ),
  ];

  progress("text: search on the demo catalogue (3,665 films) and a synthetic 100,000-item catalogue");
  const films = ["wikipedia-movies-2010s.json", "wikipedia-movies-2020s.json"].flatMap(
    (file) =>
      JSON.parse(readFileSync(sharedData(`catalog/${file}`), "utf8")) as Array<Record<string, unknown>>,
  );
  const seen = new Set<string>();
  const items = films
    .map((film) => ({ ...film, id: `${film.title} (${film.year})` }))
    .filter((film) => !seen.has(film.id) && Boolean(seen.add(film.id)));
  const buildStarted = performance.now();
  await buildCatalog("bench-movies", { items, textFields: ["title", "extract", "genres", "cast"] }, shared);
  const demoBuildMs = round(performance.now() - buildStarted);
  const synthetic = syntheticCatalog(100_000, 100);
  const syntheticStarted = performance.now();
  const bytes = encodeCatalog({
    items: synthetic.items,
    vectors: synthetic.vectors,
    fields: ["title", "genres"],
    model: { id: "embeddings/glove-100d-30k-int8", version: "1.0.0" },
    builtAt: new Date().toISOString(),
    fieldText,
  });
  await saveCatalog(
    shared.results,
    {
      name: "bench-100k",
      size: synthetic.items.length,
      textFields: ["title", "genres"],
      model: { id: "embeddings/glove-100d-30k-int8", version: "1.0.0" },
      dimensions: 100,
      builtAt: new Date().toISOString(),
    },
    bytes,
  );
  const syntheticBuildMs = round(performance.now() - syntheticStarted);
  const queries = [
    "a superhero team saves the world",
    "a haunted house horror film",
    "a heist film with a twist",
  ];
  const search = [];
  for (const catalog of ["bench-movies", "bench-100k"]) {
    for (const mode of ["hybrid", "semantic", "keyword"] as const) {
      const bodies = queries.map((query) => ({ catalog, query, k: 10, mode }));
      search.push({
        catalog,
        mode,
        ...(await measure(
          `search ${catalog} ${mode}`,
          searchHandler,
          "/v1/search",
          bodies,
          minimalOf(searchTask),
          twin.apiKey,
          1,
        )),
      });
    }
  }

  progress("text: a 4,000-review batch job through S3 -> SQS -> the text function");
  const job = await batchJob(twin, shared);
  return {
    endpoints,
    search,
    catalogBuild: { demoItems: items.length, demoBuildMs, syntheticItems: 100_000, syntheticBuildMs },
    batchJob: job,
  };
}

export type TextBench = Awaited<ReturnType<typeof benchText>>;

export function printText(result: TextBench): void {
  const rows = [...result.endpoints, ...result.search].map((entry) => ({
    endpoint: entry.name,
    "request p50 ms": entry.requestMs.p50,
    "p95 ms": entry.requestMs.p95,
    "minimal p50 ms": entry.minimalMs.p50,
    "model p50 ms": entry.modelMs.p50,
    "items/s": entry.itemsPerSecond,
    "request÷model": entry.overheadRatioP50,
    "handler÷minimal": entry.handlerOverMinimalP50,
  }));
  console.log("\nText suite (warm, in-process handlers, one onnxruntime thread)");
  console.table(rows);
  console.log("catalogue builds:", result.catalogBuild);
  console.log("batch job:", result.batchJob);
}
