import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modelFileKey } from "../../../../packages/core/src/model-store/catalog.js";
import type { ModelEntry } from "../../../../packages/core/src/model-store/catalog-types.js";
import { ModelRegistry } from "../../../../packages/core/src/model-store/registry.js";
import type { ModelVersions } from "../../../../packages/core/src/model-store/versions.js";
import { exportedSession } from "../../../../packages/core/src/onnx-export/session.js";
import { getJson, putJson } from "../../../../packages/core/src/storage/blob-store.js";
import { MemoryBlobStore } from "../../../../packages/core/src/storage/memory-store.js";
import { chartJsBundle } from "../../../../packages/core/src/training/jobs/chart-script.js";
import { trainingJob, trainingJobRequest } from "../../../../packages/core/src/training/jobs/job-spec.js";
import { runRatingsJob } from "../../../../packages/core/src/training/jobs/ratings-job.js";
import type { TrainingReport } from "../../../../packages/core/src/training/jobs/report.js";
import { statusKey } from "../../../../packages/core/src/training/jobs/status.js";
import { userVectorOf } from "../../../../packages/core/src/training/ratings/algorithms/index.js";
import { scoreAll } from "../../../../packages/core/src/training/ratings/algorithms/types.js";
import { topK } from "../../../../packages/core/src/training/ratings/evaluate.js";
import { rowRange } from "../../../../packages/core/src/training/ratings/sparse.js";
import {
  decodeState,
  type RecommenderFile,
} from "../../../../packages/core/src/training/ratings/state-codec.js";
import { hasShared, sharedData } from "../../../support/shared.js";
import { syntheticRows, TEST_KEY } from "../../../support/synthetic-ratings.js";

async function setup(files: Record<string, string | Uint8Array>, dataset = "films") {
  const media = new MemoryBlobStore();
  const results = new MemoryBlobStore();
  const modelsBucket = new MemoryBlobStore();
  const registry = new ModelRegistry(modelsBucket, 60_000, 0);
  const versions = registry.versions as ModelVersions;
  for (const [name, body] of Object.entries(files)) {
    await media.put(`uploads/training/ratings/${dataset}/${name}`, body);
  }
  const deps = { media, results, versions, pseudonymKey: TEST_KEY, chartJs: chartJsBundle };
  const start = async (fields: Record<string, unknown>) => {
    const request = trainingJobRequest.parse({ kind: "ratings", dataset, ...fields });
    const job = trainingJob(request, await media.list(`uploads/training/ratings/${dataset}/`));
    return { job, status: await runRatingsJob(job, deps) };
  };
  const file = async (entry: ModelEntry, name: string) =>
    (await modelsBucket.get(modelFileKey(entry, name)))?.bytes ?? new Uint8Array();
  return { media, results, registry, versions, start, file };
}

function syntheticCsv(): string {
  const { raw } = syntheticRows();
  return `user,item,rating,timestamp\n${raw.map((r) => `${r.user},${r.item},${r.value},${r.timestamp}`).join("\n")}\n`;
}

describe("ratings training jobs", () => {
  it("train, evaluate beside popularity, publish a version, promote it, and write both reports", async () => {
    const { results, registry, versions, media, start, file } = await setup({
      "ratings.csv": syntheticCsv(),
    });
    const { job, status } = await start({ algorithm: "mf-sgd", params: { epochs: 10 } });
    expect(status.state).toBe("succeeded");
    expect(status.progress).toBe(1);
    expect(Object.keys(status.timings)).toEqual(["ingest", "evaluate", "train", "publish", "report"]);
    expect(status.metrics?.rmse as number).toBeLessThan(status.metrics?.["popularity.rmse"] as number);
    const resolved = await registry.resolve(job.modelId);
    expect(resolved.version).toBe(status.model?.version);
    const manifest = await versions.manifest(job.modelId, resolved.version);
    expect(manifest?.training.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest?.files.map((f) => f.name).sort()).toEqual([
      "model.onnx",
      "recommender.json",
      "state.bin",
    ]);
    const report = await getJson<TrainingReport>(results, status.report.json);
    expect(report?.data).toMatchObject({ ratings: 8000, users: 200, items: 150, implicit: false });
    expect(report?.curve.length).toBe(10);
    expect(report?.job.state).toBe("succeeded");
    const html = new TextDecoder().decode((await results.get(status.report.html))?.bytes);
    expect(html).toContain("RMSE");
    expect(html).toContain("<td>succeeded</td>");
    expect(html).toContain("new Chart(");
    // No uploaded user id is in the model, only pseudonyms; the upload is left as it was.
    const entry = await registry.resolve(job.modelId);
    const recommender = new TextDecoder().decode(await file(entry, "recommender.json"));
    expect(recommender).not.toMatch(/"u\d+"/);
    expect(JSON.parse(recommender).userIds).toHaveLength(200);
    expect((await media.list("")).map((info) => info.key)).toEqual([
      "uploads/training/ratings/films/ratings.csv",
    ]);
  });

  it("a finished job is not run again; the stored state decodes to the trained scorer", async () => {
    const { start, registry } = await setup({ "ratings.csv": syntheticCsv() });
    const first = await start({ algorithm: "ease" });
    const again = await start({ algorithm: "ease" });
    expect(again.status).toEqual(first.status);
    const entry = await registry.resolve(first.job.modelId);
    expect(entry.format).toBe("marquee-recommender");
  });

  it.each([
    ["non-numeric ratings", "user,item,rating\na,1,5\nb,1,five\nb,2,3\n", "rating"],
    ["wrong columns", "1\t2\t5\t0\n1\t3\n", "columns"],
    ["duplicates", "user,item,rating\na,1,5\na,1,4\nb,2,3\n", "duplicate"],
    ["one rating value only", "user,item,rating\na,1,4\nb,2,4\n", "single-rating"],
    ["an empty file", "", "empty-file"],
  ])("%s fail the job with a report that names the rows", async (_name, body, kind) => {
    const file = kind === "columns" ? "u.data" : "ratings.csv";
    const { start, results, registry } = await setup({ [file]: body });
    const { job, status } = await start({ algorithm: "popularity" });
    expect(status.state).toBe("failed");
    expect(status.error?.code).toBe("bad_data");
    expect(status.problems.map((p) => p.kind)).toContain(kind);
    const report = await getJson<TrainingReport>(results, status.report.json);
    expect(report?.problems.find((p) => p.kind === kind)?.count).toBeGreaterThan(0);
    await expect(registry.resolve(job.modelId)).rejects.toThrow();
  });

  it("a bad parameter fails the job with its message", async () => {
    const { start } = await setup({ "ratings.csv": syntheticCsv() });
    const { status } = await start({ algorithm: "ease", params: { lambda: -1 } });
    expect(status.error).toEqual({ code: "bad_params", message: expect.stringMatching(/lambda/) });
  });

  it("retraining on new data creates a new version; the old one still resolves by version", async () => {
    const { start, registry, media } = await setup({ "ratings.csv": syntheticCsv() });
    const first = await start({ algorithm: "popularity" });
    await media.put(
      "uploads/training/ratings/films/ratings.csv",
      `${syntheticCsv()}extra-user,1,5,9999999999\n`,
    );
    const second = await start({ algorithm: "popularity" });
    expect(second.job.id).not.toBe(first.job.id);
    expect(second.status.model?.version).not.toBe(first.status.model?.version);
    expect((await registry.resolve(first.job.modelId)).version).toBe(second.status.model?.version);
    const old = await registry.resolve(`${first.job.modelId}@${first.status.model?.version}`);
    expect(old.version).toBe(first.status.model?.version);
  });

  it("a job that keeps crashing is retried once, then reported failed; so is a run that was killed", async () => {
    const { media, results, versions } = await setup({ "ratings.csv": syntheticCsv() });
    const request = trainingJobRequest.parse({ kind: "ratings", dataset: "films", algorithm: "popularity" });
    const job = trainingJob(request, await media.list("uploads/training/ratings/films/"));
    const broken = Object.create(media) as MemoryBlobStore;
    broken.get = async () => {
      throw new Error("disk on fire");
    };
    const deps = {
      media: broken,
      results,
      versions,
      pseudonymKey: TEST_KEY,
      chartJs: chartJsBundle,
      maxAttempts: 2,
    };
    await expect(runRatingsJob(job, deps)).rejects.toThrow("disk on fire");
    expect(await getJson(results, statusKey(job.id))).toMatchObject({ state: "running", attempts: 1 });
    const last = await runRatingsJob(job, deps);
    expect(last).toMatchObject({ state: "failed", attempts: 2, error: { code: "internal_error" } });
    expect(last.error?.message).not.toMatch(/disk/);
    expect(await getJson(results, last.report.json)).toMatchObject({ error: { code: "internal_error" } });

    // A run killed before it could report (timeout, out of memory) leaves "running"; the next delivery
    // past the attempts reports it without training again.
    const other = trainingJob(
      { ...request, algorithm: "ease" },
      await media.list("uploads/training/ratings/films/"),
    );
    await putJson(results, statusKey(other.id), { ...last, id: other.id, state: "running", attempts: 2 });
    const reported = await runRatingsJob(other, { ...deps, media });
    expect(reported).toMatchObject({ state: "failed", attempts: 3, error: { code: "internal_error" } });
  });
});

describe.runIf(hasShared)("MovieLens-100k u.data + u.item as uploaded", () => {
  it("EASE: NDCG@10 ≥ 1.6× popularity on the job's own split; the stored state round-trips", {
    timeout: 120_000,
  }, async () => {
    const { start, versions, registry, file } = await setup(
      {
        "u.data": readFileSync(sharedData("movielens-100k/u.data")),
        "u.item": readFileSync(sharedData("movielens-100k/u.item")),
      },
      "ml100k",
    );
    const { job, status } = await start({ algorithm: "ease" });
    expect(status.state).toBe("succeeded");
    const ndcg = status.metrics?.["ndcg@10"] as number;
    expect(ndcg).toBeGreaterThanOrEqual(1.6 * (status.metrics?.["popularity.ndcg@10"] as number));
    expect(job.modelId).toBe("recommender/ml100k-ease");
    const manifest = await versions.manifest(job.modelId, status.model?.version ?? "");
    expect(manifest?.training.metrics).toEqual(status.metrics);
    expect(manifest?.files.find((f) => f.name === "state.bin")?.bytes).toBeGreaterThan(1682 * 1682 * 4);
    // Serving artifacts: the decoded state and the exported ONNX top-k agree on a user's top 10.
    const entry = await registry.resolve(job.modelId);
    const json = JSON.parse(
      new TextDecoder().decode(await file(entry, "recommender.json")),
    ) as RecommenderFile;
    const state = decodeState(json, await file(entry, "state.bin"));
    expect(json.itemIds[0]).toBe("1");
    expect(json.titles?.[0]).toBe("Toy Story");
    const [from, to] = rowRange(state.ratings, 0);
    const history = {
      items: state.ratings.indices.slice(from, to),
      values: state.ratings.values.slice(from, to),
    };
    const vector = userVectorOf(state, 0, history);
    const seen = new Set(history.items);
    const expected = topK(scoreAll(state.scorer, vector), 10, (item) => seen.has(item));
    const session = await exportedSession(await file(entry, "model.onnx"));
    const mask = new Float32Array(1682);
    for (const item of seen) mask[item] = 1;
    const out = await session.run({
      user_vector: { type: "float32", data: vector, dims: [1, vector.length] },
      seen_mask: { type: "float32", data: mask, dims: [1, 1682] },
      k: { type: "int64", data: BigInt64Array.of(10n), dims: [1] },
    });
    expect(Array.from(out.indices?.data as BigInt64Array, Number)).toEqual(expected);
    await session.release();
  });
});
