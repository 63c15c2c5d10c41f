import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ingestLabelled } from "../../packages/core/src/training/sentiment/ingest.js";
import { stratifiedSplit } from "../../packages/core/src/training/sentiment/split.js";
import { hasShared, sharedData } from "../support/shared.js";
import { authed, useTwin } from "../support/twin.js";

interface Status {
  id: string;
  state: string;
  metrics?: Record<string, number>;
  model?: { id: string; version: string; promoted: boolean };
  problems: Array<{
    kind: string;
    severity: string;
    file: string;
    rows: Array<{ row: number; detail: string }>;
  }>;
  report: { json: string; html: string };
  error?: { code: string; message: string };
}
interface Served {
  results: Array<{ label: string; scores: Record<string, number> }>;
  models: Array<{ id: string; version: string }>;
}

const REVIEW_FILES = ["imdb-4000.csv", "rt-polarity.pos", "rt-polarity.neg"];
const IMDB = "imdb-4000.csv";

describe.skipIf(!hasShared)(
  "sentiment training jobs through the twin: train, promote, serve, roll back",
  () => {
    const suite = useTwin();

    const api = async (path: string, body?: unknown) => {
      const response = await fetch(`${suite.twin.apiUrl}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: authed(suite.twin, { "content-type": "application/json" }),
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const train = async (request: Record<string, unknown>): Promise<Status> => {
      const started = await api("/v1/training-jobs", { kind: "sentiment", ...request });
      expect(started.status).toBe(202);
      await suite.twin.idle();
      return (await api(`/v1/training-jobs/${started.body.id}`)).body as unknown as Status;
    };
    const classify = async (texts: string[]) => {
      const out: Served[] = [];
      for (let at = 0; at < texts.length; at += 256) {
        const answer = await api("/v1/sentiment", { texts: texts.slice(at, at + 256) });
        expect(answer.status).toBe(200);
        out.push(answer.body as unknown as Served);
      }
      return out;
    };
    const servedVersion = async (expected: string) => {
      const until = Date.now() + 8000; // MAAS_ALIAS_TTL_MS is 5 s
      let served = "";
      while (Date.now() < until && served !== expected) {
        served = (await classify(["fine"]))[0]?.models[0]?.version ?? "";
        if (served !== expected) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return served;
    };

    /** The job's own held-out IMDB reviews: the same ingest and seeded split the job made. */
    async function heldOutImdb() {
      const files = REVIEW_FILES.map((name) => ({
        name,
        bytes: readFileSync(sharedData(`reviews/${name}`)),
      }));
      const { dataset } = await ingestLabelled(files);
      const split = stratifiedSplit(dataset?.examples ?? [], (example) => example.label, 0.2, 42);
      return split.test.filter((example) => example.source === IMDB);
    }

    it("IMDB-4000 + rt-polarity: beats fastText on the held-out split, is promoted, served, and rolled back", async () => {
      for (const name of REVIEW_FILES) {
        await suite.buckets.putMedia(
          `uploads/training/sentiment/reviews/${name}`,
          readFileSync(sharedData(`reviews/${name}`)),
        );
      }
      const first = await train({ dataset: "reviews" });
      expect(first.state).toBe("succeeded");
      const metrics = first.metrics ?? {};
      console.info(
        `sentiment job: held-out IMDB accuracy ${metrics[`accuracy.${IMDB}`]?.toFixed(4)} vs fastText ${metrics[`baseline.accuracy.${IMDB}`]?.toFixed(4)}; all test ${metrics.accuracy?.toFixed(4)} vs ${metrics["baseline.accuracy"]?.toFixed(4)}`,
      );
      expect(metrics[`accuracy.${IMDB}`]).toBeGreaterThanOrEqual(0.9);
      expect(metrics[`accuracy.${IMDB}`]).toBeGreaterThan(metrics[`baseline.accuracy.${IMDB}`] as number);
      expect(metrics.accuracy).toBeGreaterThan(metrics["baseline.accuracy"] as number);
      expect(first.model).toMatchObject({ id: "sentiment/reviews", promoted: true });
      expect(first.problems.map((p) => `${p.severity}:${p.kind}:${p.file}`)).toEqual([
        `warning:duplicate-text:${IMDB}`,
      ]);
      const html = await suite.buckets.resultText(first.report.html);
      expect(html).toContain("Confusion matrix, trained");
      expect(html).toContain("Confusion matrix, current default");
      expect(html).toMatch(
        /Promoted to default: test accuracy 0\.\d{4} beats 0\.\d{4} of sentiment\/fasttext/,
      );

      // POST /v1/sentiment with no model now serves the promoted version (stacked on fastText), and its
      // accuracy on the job's own held-out IMDB reviews is the report's.
      const version = first.model?.version as string;
      expect(await servedVersion(version)).toBe(version);
      const held = await heldOutImdb();
      const answers = (await classify(held.map((example) => example.text))).flatMap(
        (answer) => answer.results,
      );
      const correct = answers.filter((answer, i) => (answer.label === "positive") === (held[i]?.label === 0));
      expect(
        Math.abs(correct.length / held.length - (metrics[`accuracy.${IMDB}`] as number)),
      ).toBeLessThanOrEqual(1.5 / held.length);
      const served = (await classify(["A gripping, beautifully shot film."]))[0];
      expect(served?.models.map((m) => m.id)).toEqual([
        "sentiment/reviews",
        "sentiment/fasttext-amazon-polarity",
      ]);
      expect(served?.results[0]?.label).toBe("positive");

      // A weaker retrain (1 epoch, unigrams, no stacking) does not beat the default: a version, not promoted.
      const weak = await train({ dataset: "reviews", params: { epochs: 1, ngrams: 1, stack: false } });
      expect(weak.state).toBe("succeeded");
      expect(weak.model?.promoted).toBe(false);
      expect(weak.model?.version).not.toBe(version);
      expect(await suite.buckets.resultText(weak.report.html)).toMatch(
        /Not promoted: test accuracy .* does not beat/,
      );

      // Forced, it is promoted; a rollback puts the previous default back, then the built-in fastText.
      const forced = await train({
        dataset: "reviews",
        params: { epochs: 1, ngrams: 1, stack: false },
        promote: "force",
      });
      expect(forced.model).toMatchObject({ version: weak.model?.version, promoted: true });
      expect(await servedVersion(weak.model?.version as string)).toBe(weak.model?.version);
      const path = "/v1/models/sentiment/reviews";
      const listed = (await api(`${path}/versions`)).body as {
        versions: Array<{ version: string }>;
        aliases: Record<string, { version: string; seq: number }>;
      };
      expect(listed.versions).toHaveLength(2);
      const back = await api(`${path}/aliases/default`, { version, expected: listed.aliases.default?.seq });
      expect(back.status).toBe(200);
      expect(await servedVersion(version)).toBe(version);
      const builtIn = await api(`${path}/aliases/default`, {
        model: "sentiment/fasttext-amazon-polarity",
        version: "1.0.0",
      });
      expect(builtIn.status).toBe(200);
      expect(await servedVersion("1.0.0")).toBe("1.0.0");
      expect((await classify(["fine"]))[0]?.models.map((m) => m.id)).toEqual([
        "sentiment/fasttext-amazon-polarity",
      ]);
    });

    it.each([
      ["one class", { "a.csv": "text,label\ngreat,1\nsuperb,1\nfine,1\n" }, "one-class"],
      ["an empty file", { "a.csv": "" }, "empty-file"],
      [
        "a text labelled both ways",
        { "a.csv": "text,label\ngreat,1\nawful,0\nfine,1\n", "b.neg": "great\n" },
        "conflicting-labels",
      ],
      ["no label column", { "a.csv": "text,stars\ngreat,5\nawful,1\n" }, "header"],
    ])("%s fails the job with bad_data and a report naming the problem", async (name, files, kind) => {
      const dataset = `bad-${name.replace(/\W+/g, "-")}`;
      for (const [file, body] of Object.entries(files)) {
        await suite.buckets.putMedia(`uploads/training/sentiment/${dataset}/${file}`, body);
      }
      const status = await train({ dataset, model: dataset });
      expect(status.state).toBe("failed");
      expect(status.error?.code).toBe("bad_data");
      expect(status.problems.map((p) => p.kind)).toContain(kind);
      const report = JSON.parse(await suite.buckets.resultText(status.report.json)) as {
        problems: Array<{ kind: string }>;
      };
      expect(report.problems.map((p) => p.kind)).toContain(kind);
      expect(await suite.buckets.resultText(status.report.html)).toContain("Problems in the data");
    });

    it("a bad parameter fails the job with bad_params; a ratings algorithm is refused for sentiment", async () => {
      await suite.buckets.putMedia(
        "uploads/training/sentiment/params/a.csv",
        "text,label\ngreat,1\nawful,0\nfine,1\nbad,0\n",
      );
      const status = await train({ dataset: "params", model: "params", params: { buckets: 1000 } });
      expect(status.error).toMatchObject({
        code: "bad_params",
        message: expect.stringMatching(/buckets.*power of two/),
      });
      const refused = await api("/v1/training-jobs", {
        kind: "sentiment",
        dataset: "params",
        algorithm: "ease",
      });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(/sentiment algorithms are logistic/);
    });
  },
);
