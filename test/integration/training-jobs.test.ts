import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { hasShared, sharedData } from "../support/shared.js";
import { syntheticRows } from "../support/synthetic-ratings.js";
import { authed, useTwin } from "../support/twin.js";

interface Status {
  id: string;
  state: string;
  algorithm: string;
  metrics?: Record<string, number>;
  model?: { id: string; version: string; promoted: boolean };
  report: { json: string; html: string };
  error?: { code: string; message: string };
}

describe("training jobs through the twin (S3 upload → SQS → training function; HTTP API)", () => {
  const suite = useTwin();

  const put = (key: string, body: Uint8Array | string) => suite.buckets.putMedia(key, body);
  const resultText = (key: string) => suite.buckets.resultText(key);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${suite.twin.apiUrl}${path}`, {
      ...init,
      headers: authed(suite.twin, { "content-type": "application/json" }),
    });
  const status = async (id: string) => (await (await api(`/v1/training-jobs/${id}`)).json()) as Status;

  it("rejects a bad request and a data set that was never uploaded with clear 4xx errors", async () => {
    const bad = await api("/v1/training-jobs", { method: "POST", body: JSON.stringify({ kind: "ratings" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
    const missing = await api("/v1/training-jobs", {
      method: "POST",
      body: JSON.stringify({ kind: "ratings", dataset: "nothing-here", algorithm: "ease" }),
    });
    expect(missing.status).toBe(404);
    expect((await api("/v1/training-jobs/no-such-job")).status).toBe(404);
  });

  it("train.json trains one job per listed algorithm; each has a status, a report and a version", async () => {
    const { raw } = syntheticRows();
    await put(
      "uploads/training/ratings/synthetic/ratings.csv",
      `user,item,rating,timestamp\n${raw.map((r) => `${r.user},${r.item},${r.value},${r.timestamp}`).join("\n")}\n`,
    );
    await put(
      "uploads/training/ratings/synthetic/train.json",
      JSON.stringify({ algorithms: ["popularity", "mf-als"] }),
    );
    await suite.twin.idle();
    const jobs = await Promise.all(
      ["popularity", "mf-als"].map(async (algorithm) => {
        const started = await api("/v1/training-jobs", {
          method: "POST",
          body: JSON.stringify({ kind: "ratings", dataset: "synthetic", algorithm }),
        });
        expect(started.status).toBe(202);
        return status(((await started.json()) as { id: string }).id);
      }),
    );
    // The POST of the same request on the same data is the job train.json already ran.
    for (const job of jobs) {
      expect(job.state).toBe("succeeded");
      expect(job.model?.id).toBe(`recommender/synthetic-${job.algorithm}`);
      expect(JSON.parse(await resultText(job.report.json)).job.id).toBe(job.id);
      expect(await resultText(job.report.html)).toContain("<canvas");
    }
    expect(jobs[1]?.metrics?.rmse).toBeLessThan(jobs[0]?.metrics?.rmse as number);
  });

  it("a bad file fails its job, and the status says why", async () => {
    await put("uploads/training/ratings/broken/ratings.csv", "user,item,rating\na,1,5\nb,1,five\n");
    const started = await api("/v1/training-jobs", {
      method: "POST",
      body: JSON.stringify({ kind: "ratings", dataset: "broken", algorithm: "popularity" }),
    });
    const { id } = (await started.json()) as { id: string };
    await suite.twin.idle();
    const failed = await status(id);
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("bad_data");
  });

  it.runIf(hasShared)(
    "MovieLens-100k u.data + u.item: an EASE job beats popularity by ≥ 1.6× NDCG@10",
    {
      timeout: 120_000,
    },
    async () => {
      await put("uploads/training/ratings/ml100k/u.data", readFileSync(sharedData("movielens-100k/u.data")));
      await put("uploads/training/ratings/ml100k/u.item", readFileSync(sharedData("movielens-100k/u.item")));
      const started = await api("/v1/training-jobs", {
        method: "POST",
        body: JSON.stringify({ kind: "ratings", dataset: "ml100k", algorithm: "ease" }),
      });
      const { id } = (await started.json()) as { id: string };
      await suite.twin.idle();
      const done = await status(id);
      expect(done.state).toBe("succeeded");
      expect(done.metrics?.["ndcg@10"]).toBeGreaterThanOrEqual(
        1.6 * (done.metrics?.["popularity.ndcg@10"] ?? 1),
      );
    },
  );
  it.runIf(hasShared && hasChromium)(
    "MovieLens-100k + the 1990s catalogue with train.json 'all': one job per algorithm, each reported and rendered",
    { timeout: 300_000 },
    async () => {
      const prefix = "uploads/training/ratings/ml100k-all/";
      for (const name of ["u.data", "u.item"]) {
        await put(`${prefix}${name}`, readFileSync(sharedData(`movielens-100k/${name}`)));
      }
      const catalogue = "wikipedia-movies-1990s.json";
      await put(`${prefix}${catalogue}`, readFileSync(sharedData(`catalog/${catalogue}`)));
      await put(`${prefix}train.json`, JSON.stringify({ algorithms: "all" }));
      await suite.twin.idle();
      // The POST of the same request on the same data names the job train.json already ran.
      const ids = await Promise.all(
        ["content", "ease", "hybrid", "item-cf", "mf-als", "mf-sgd", "popularity", "user-cf", "wals"].map(
          async (algorithm) => {
            const body = JSON.stringify({ kind: "ratings", dataset: "ml100k-all", algorithm });
            const started = await api("/v1/training-jobs", { method: "POST", body });
            return ((await started.json()) as { id: string }).id;
          },
        ),
      );
      const jobs = await Promise.all(ids.map(status));
      expect(jobs.map((job) => job.algorithm).sort()).toEqual([
        "content",
        "ease",
        "hybrid",
        "item-cf",
        "mf-als",
        "mf-sgd",
        "popularity",
        "user-cf",
        "wals",
      ]);
      const browser = await launchChromium();
      const figures: Record<string, string> = {};
      try {
        for (const job of jobs) {
          expect(job.state, `${job.algorithm}: ${job.error?.message}`).toBe("succeeded");
          const page = await browser.newPage();
          await page.setContent(await resultText(job.report.html));
          await page.waitForSelector("body[data-charts]", { timeout: 10_000 });
          expect(Number(await page.locator("body").getAttribute("data-charts"))).toBeGreaterThanOrEqual(1);
          await page.close();
          const m = job.metrics ?? {};
          figures[job.algorithm] =
            `ndcg@10 ${m["ndcg@10"]?.toFixed(4)}${m.rmse ? ` rmse ${m.rmse.toFixed(3)}` : ""}`;
        }
      } finally {
        await browser.close();
      }
      console.info("MovieLens-100k jobs through the twin:", figures);
      const byAlgorithm = new Map(jobs.map((job) => [job.algorithm, job]));
      const popularity = byAlgorithm.get("popularity")?.metrics?.["ndcg@10"] as number;
      const best = Math.max(...jobs.map((job) => job.metrics?.["ndcg@10"] ?? 0));
      expect(best).toBeGreaterThanOrEqual(1.6 * popularity);
      expect(byAlgorithm.get("mf-sgd")?.metrics?.rmse).toBeLessThanOrEqual(0.93);
      const content = JSON.parse(await resultText(byAlgorithm.get("content")?.report.json as string)) as {
        data: Record<string, unknown>;
      };
      expect(content.data.itemTexts).toMatch(new RegExp(`^(89[89]|90\\d) items from ${catalogue}$`));
      expect(content.data.textModel).toBe("embeddings/glove-100d-30k-int8@1.0.0");
      const served = await post("/v1/recommendations", {
        recommender: "ml100k-all-content",
        user: "196",
        k: 5,
      });
      expect(served.body.items).toHaveLength(5);
      const badModel = await startJob({
        kind: "ratings",
        dataset: "ml100k-all",
        algorithm: "content",
        params: { textModel: "embeddings/not-installed" },
      });
      expect(badModel.error).toMatchObject({
        code: "bad_params",
        message: expect.stringMatching(/^textModel: /),
      });
    },
  );
  interface Recommended {
    items: Array<{ item: string; score: number; title?: string; reason?: string }>;
    model: { id: string; version: string };
  }
  const post = async (path: string, body: unknown) => {
    const response = await api(path, { method: "POST", body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Recommended };
  };
  const startJob = async (body: unknown) => {
    const started = await api("/v1/training-jobs", { method: "POST", body: JSON.stringify(body) });
    const { id } = (await started.json()) as { id: string };
    await suite.twin.idle();
    return status(id);
  };

  it.runIf(hasShared)(
    "serves recommendations: known users, cold-start ratings, genre filters, similar items, 404s",
    async () => {
      // MovieLens user 196 as uploaded: the request's id is pseudonymised with the same key as at training.
      const known = await post("/v1/recommendations", {
        recommender: "ml100k-ease",
        user: "196",
        k: 10,
        explain: true,
      });
      expect(known.status).toBe(200);
      expect(known.body.items).toHaveLength(10);
      expect(known.body.model.id).toBe("recommender/ml100k-ease");
      const seen = readFileSync(sharedData("movielens-100k/u.data"), "utf8")
        .split("\n")
        .filter((line) => line.startsWith("196\t"))
        .map((line) => line.split("\t")[1]);
      expect(known.body.items.some((entry) => seen.includes(entry.item))).toBe(false);
      expect(known.body.items[0]?.reason).toMatch(/^because of /);
      const scores = known.body.items.map((entry) => entry.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));

      // A new user who loved Star Wars and Return of the Jedi gets The Empire Strikes Back near the top.
      const cold = await post("/v1/recommendations", {
        recommender: "ml100k-ease",
        ratings: [
          { item: "50", rating: 5 },
          { item: "181", rating: 5 },
        ],
        k: 5,
      });
      expect(cold.status).toBe(200);
      expect(cold.body.items.map((entry) => entry.item)).toContain("172");
      const horror = await post("/v1/recommendations", {
        recommender: "ml100k-ease",
        user: "196",
        k: 5,
        filters: { genre: "Horror" },
      });
      expect(horror.status).toBe(200);
      const horrorColumn = 5 + 11;
      const genres = new Map(
        readFileSync(sharedData("movielens-100k/u.item"), "latin1")
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split("|"))
          .map((cells) => [cells[0], cells[horrorColumn]]),
      );
      expect(horror.body.items).toHaveLength(5);
      expect(horror.body.items.every((entry) => genres.get(entry.item) === "1")).toBe(true);

      const similar = await post("/v1/similar-items", { recommender: "ml100k-ease", item: "50", k: 5 });
      expect(similar.status).toBe(200);
      expect(similar.body.items.map((entry) => entry.item)).toContain("172");
      expect(similar.body.items.map((entry) => entry.item)).not.toContain("50");

      const refused: Array<[string, unknown, number]> = [
        ["/v1/recommendations", { recommender: "nobody-trained-this", user: "196" }, 404],
        ["/v1/recommendations", { recommender: "ml100k-ease", user: "no-such-user" }, 404],
        [
          "/v1/recommendations",
          { recommender: "ml100k-ease", ratings: [{ item: "999999", rating: 4 }] },
          404,
        ],
        ["/v1/recommendations", { recommender: "ml100k-ease", user: "196", k: 101 }, 400],
        ["/v1/recommendations", { recommender: "ml100k-ease" }, 400],
        [
          "/v1/recommendations",
          { recommender: "ml100k-ease", user: "196", filters: { genre: "Opera" } },
          400,
        ],
        ["/v1/similar-items", { recommender: "ml100k-ease", item: "0" }, 404],
      ];
      for (const [path, body, code] of refused) {
        expect((await post(path, body)).status, JSON.stringify(body)).toBe(code);
      }
      const info = (await (await api("/v1/recommenders/ml100k-ease")).json()) as {
        default: { algorithm: string; metrics: Record<string, number> };
      };
      expect(info.default.algorithm).toBe("ease");
      expect(info.default.metrics["ndcg@10"]).toBeGreaterThan(0);
      expect((await api("/v1/recommenders/unknown")).status).toBe(404);
    },
  );

  it.runIf(hasShared)(
    "retraining makes a new version that serving picks up; a rollback puts the old one back",
    {
      timeout: 120_000,
    },
    async () => {
      const first = await startJob({ kind: "ratings", dataset: "ml100k", algorithm: "ease" });
      const before = await post("/v1/recommendations", { recommender: "ml100k-ease", user: "196" });
      expect(before.body.model.version).toBe(first.model?.version);
      const retrained = await startJob({
        kind: "ratings",
        dataset: "ml100k",
        algorithm: "ease",
        params: { lambda: 500 },
      });
      expect(retrained.state).toBe("succeeded");
      expect(retrained.model?.version).not.toBe(first.model?.version);
      const path = "/v1/models/recommender/ml100k-ease";
      const listed = (await (await api(`${path}/versions`)).json()) as {
        versions: Array<{ version: string; parent: { version: string } | null }>;
        aliases: Record<string, { version: string; seq: number }>;
      };
      expect(listed.versions.map((v) => v.version).sort()).toEqual(
        [first.model?.version, retrained.model?.version].sort(),
      );
      expect(listed.aliases.default?.version).toBe(retrained.model?.version);
      expect(listed.versions.find((v) => v.version === retrained.model?.version)?.parent?.version).toBe(
        first.model?.version,
      );
      // The old version keeps answering by its id@version; the twin's alias TTL is MAAS_ALIAS_TTL_MS.
      const stale = await api(`${path}/aliases/default`, {
        method: "POST",
        body: JSON.stringify({ version: first.model?.version, expected: 1 }),
      });
      expect(stale.status).toBe(409);
      const rollback = await api(`${path}/aliases/default`, {
        method: "POST",
        body: JSON.stringify({ version: first.model?.version, expected: listed.aliases.default?.seq }),
      });
      expect(rollback.status).toBe(200);
      expect(((await rollback.json()) as { version: string }).version).toBe(first.model?.version);
      // Serving follows the alias within MAAS_ALIAS_TTL_MS (5 s), without a redeploy.
      const until = Date.now() + 8000;
      let served = "";
      while (Date.now() < until && served !== first.model?.version) {
        const answer = await post("/v1/recommendations", { recommender: "ml100k-ease", user: "196" });
        served = answer.body.model.version;
        if (served !== first.model?.version) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(served).toBe(first.model?.version);
      const unknown = await api(`${path}/aliases/default`, {
        method: "POST",
        body: JSON.stringify({ version: "0123456789abcdef" }),
      });
      expect(unknown.status).toBe(404);
      const badAlias = await api(`${path}/aliases/Not_An_Alias`, {
        method: "POST",
        body: JSON.stringify({ version: first.model?.version }),
      });
      expect(badAlias.status).toBe(400);
      expect((await api("/v1/models/recommender/never-trained/versions")).status).toBe(404);
    },
  );
  it.runIf(hasShared)(
    "batch: users.csv under uploads/recs-requests/ → recommendations.jsonl, a bad row its own error",
    async () => {
      await put(
        "uploads/recs-requests/weekly/manifest.json",
        JSON.stringify({ recommender: "ml100k-ease", k: 3 }),
      );
      await put("uploads/recs-requests/weekly/users.csv", "user,k\n196,\n186,5\nnobody,\n22,500\n");
      await suite.twin.idle();
      const job = (await (await api("/v1/jobs/weekly")).json()) as {
        status: string;
        counts: Record<string, number>;
      };
      expect(job.status).toBe("completed_with_errors");
      const lines = (await resultText("results/weekly/recommendations.jsonl"))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { user?: string; items?: unknown[]; error?: { code: string } });
      expect(lines.map((line) => line.items?.length ?? line.error?.code)).toEqual([
        3,
        5,
        "not_found",
        "invalid_input",
      ]);
      expect(lines[0]?.user).toBe("196");
    },
  );
});
