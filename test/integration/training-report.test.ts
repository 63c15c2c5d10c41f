import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelVersions } from "../../packages/core/src/model-store/versions.js";
import { startTrainingJob, trainingUpload } from "../../packages/core/src/operations/training-jobs.js";
import { MemoryBlobStore } from "../../packages/core/src/storage/memory-store.js";
import { chartJsBundle } from "../../packages/core/src/training/jobs/chart-script.js";
import { trainingJob, trainingJobRequest } from "../../packages/core/src/training/jobs/job-spec.js";
import { runRatingsJob } from "../../packages/core/src/training/jobs/ratings-job.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
import { memoryServices } from "../support/services.js";
import { hasShared, sharedData } from "../support/shared.js";
import { syntheticRows, TEST_KEY } from "../support/synthetic-ratings.js";

async function reportPage(algorithm: string, csv: string): Promise<string> {
  const media = new MemoryBlobStore();
  const results = new MemoryBlobStore();
  await media.put("uploads/training/ratings/films/ratings.csv", csv);
  const request = trainingJobRequest.parse({ kind: "ratings", dataset: "films", algorithm });
  const job = trainingJob(request, await media.list("uploads/training/ratings/films/"));
  const deps = { media, results, versions: new ModelVersions(new MemoryBlobStore()), pseudonymKey: TEST_KEY };
  const status = await runRatingsJob(job, { ...deps, chartJs: chartJsBundle });
  return new TextDecoder().decode((await results.get(status.report.html))?.bytes);
}

/** A sentiment job on 600 IMDB reviews and 600 rt-polarity lines, scored beside fastText. */
async function sentimentReportPage(): Promise<string> {
  const { services, media, results } = await memoryServices(["sentiment/fasttext-amazon-polarity"]);
  const imdb = readFileSync(sharedData("reviews/imdb-4000.csv"), "utf8").split("\n");
  const prefix = "uploads/training/sentiment/sample/";
  let csv = imdb[0] ?? "";
  for (let line = 1, rows = 0; rows < 600; line++) {
    csv += `\n${imdb[line]}`; // a review may span lines: the CSV reader keeps quoted newlines together
    if (/^\d+_\d+,[01],/.test(imdb[line + 1] ?? "")) rows += 1;
  }
  await media.put(`${prefix}imdb.csv`, `${csv}\n`);
  for (const half of ["pos", "neg"]) {
    const lines = readFileSync(sharedData(`reviews/rt-polarity.${half}`))
      .toString("latin1")
      .split("\n");
    await media.put(`${prefix}rt.${half}`, `${lines.slice(0, 300).join("\n")}\n`);
  }
  const queued = await startTrainingJob({ kind: "sentiment", dataset: "sample", model: "sample" }, services);
  const key = `${prefix}jobs/${queued.id}.json`;
  await trainingUpload({ bucket: "media", key, etag: "", size: 0 }, services);
  return new TextDecoder().decode((await results.get(queued.report.html))?.bytes);
}

async function expectDrawnCharts(
  page: Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>["newPage"]>>,
) {
  for (const canvas of await page.locator("canvas").all()) {
    const box = await canvas.boundingBox();
    expect(box?.height).toBeGreaterThan(100);
    expect(await inkOf(await canvas.screenshot())).toBeGreaterThan(0.01);
  }
}

/** Share of pixels that are not near-white in a PNG: a drawn chart has many. */
async function inkOf(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (const value of data) if (value < 200) ink += 1;
  return ink / (info.width * info.height);
}

describe.runIf(hasChromium)("training report pages in headless Chromium", () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it("a recommender's report draws its metric chart and learning curve, with the tables", async () => {
    const { raw } = syntheticRows();
    const csv = `user,item,rating,timestamp\n${raw.map((r) => `${r.user},${r.item},${r.value},${r.timestamp}`).join("\n")}\n`;
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.setContent(await reportPage("mf-sgd", csv));
    await page.waitForSelector('body[data-charts="2"]', { timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(await page.locator("table").count()).toBeGreaterThanOrEqual(4);
    await expect(page.locator("text=RMSE").count()).resolves.toBeGreaterThan(0);
    await expectDrawnCharts(page);
    await page.close();
  });

  it.runIf(hasShared)(
    "a review classifier's report draws accuracy beside the default, the curve and both confusion matrices",
    async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.setContent(await sentimentReportPage());
      await page.waitForSelector('body[data-charts="2"]', { timeout: 10_000 });
      expect(errors).toEqual([]);
      const text = (await page.locator("body").textContent()) ?? "";
      expect(text).toMatch(
        /Held-out test split \(20 % of each label, seed 42: \d+ training, \d+ test examples\)/,
      );
      expect(text).toContain("sentiment/fasttext-amazon-polarity@1.0.0");
      expect(text).toMatch(/(Promoted to default|Not promoted): test accuracy/);
      const matrices = page.locator("h3:has-text('Confusion matrix') + table");
      expect(await matrices.count()).toBe(2);
      const cells = await matrices.first().locator("tbody td").allTextContents();
      // rows: [label, predicted positive, predicted negative]; the counts add up to the test examples.
      const counts = cells.filter((_, i) => i % 3 !== 0).map(Number);
      const tested = Number(/(\d+) test examples/.exec(text)?.[1]);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(tested);
      await expectDrawnCharts(page);
      await page.close();
    },
  );

  it("a failed job's report shows the problems and their rows", async () => {
    const page = await browser.newPage();
    await page.setContent(await reportPage("popularity", "user,item,rating\na,1,5\nb,1,five\nb,2,3\n"));
    await page.waitForSelector('body[data-charts="0"]');
    const text = await page.locator("body").textContent();
    expect(text).toMatch(/bad_data/);
    expect(text).toMatch(/3: .*five/);
    await page.close();
  });
});
