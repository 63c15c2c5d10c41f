import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startTwin, type Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkResponse } from "../support/conformance.js";
import { repoRoot } from "../support/shared.js";
import { authed } from "../support/twin.js";

describe("the twin without a model mirror (no ../shared, no internet)", () => {
  let twin: Twin;
  const lines: string[] = [];
  beforeAll(async () => {
    process.env.MAAS_MODEL_MIRROR = path.join(tmpdir(), "no-such-mirror");
    twin = await startTwin({
      root: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), "marquee-twin-bare-")),
      retryDelayMs: 50,
      log: (line) => lines.push(line),
      onResponse: checkResponse,
    });
  });
  afterAll(async () => {
    await twin?.close();
    delete process.env.MAAS_MODEL_MIRROR;
  });

  it("starts, says which models are missing and how to get them, and serves health and the catalogue", async () => {
    const said = lines.join("\n");
    expect(said).toMatch(
      /models: \d+ not installed, their tasks answer 503 until they are: .*sentiment\/fasttext-amazon-polarity/,
    );
    expect(said).toContain("MAAS_MODEL_MIRROR");
    expect((await fetch(`${twin.apiUrl}/v1/health`)).status).toBe(200);
    const catalogue = await fetch(`${twin.apiUrl}/v1/models`, { headers: authed(twin) });
    expect(catalogue.status).toBe(200);
    const { models } = (await catalogue.json()) as { models: Array<{ id: string; installed: boolean }> };
    // Mirror-only models cannot come from anywhere else (public URLs are unreachable here anyway).
    expect(models.find((model) => model.id === "sentiment/fasttext-amazon-polarity")?.installed).toBe(false);
    const sentiment = await fetch(`${twin.apiUrl}/v1/sentiment`, {
      method: "POST",
      headers: authed(twin, { "content-type": "application/json" }),
      body: JSON.stringify({ texts: ["fine"] }),
    });
    expect(sentiment.status).toBe(503);
    expect(((await sentiment.json()) as { error: { code: string } }).error.code).toBe("model_not_installed");
  });
});
