import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelVersions } from "../../packages/core/src/model-store/versions.js";
import { MemoryBlobStore } from "../../packages/core/src/storage/memory-store.js";
import { chartJsBundle } from "../../packages/core/src/training/jobs/chart-script.js";
import { trainingJob, trainingJobRequest } from "../../packages/core/src/training/jobs/job-spec.js";
import { runRatingsJob } from "../../packages/core/src/training/jobs/ratings-job.js";
import { hasChromium, launchChromium } from "../support/chromium.js";
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
    for (const canvas of await page.locator("canvas").all()) {
      const box = await canvas.boundingBox();
      expect(box?.height).toBeGreaterThan(100);
      expect(await inkOf(await canvas.screenshot())).toBeGreaterThan(0.01);
    }
    await page.close();
  });

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
