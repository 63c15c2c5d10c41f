import {
  IntegrityError,
  MemoryBlobStore,
  ModelNotInstalledError,
  missingModelsMessage,
  modelFileKey,
  pullModels,
} from "@marquee/core";
import { describe, expect, it } from "vitest";
import type { ModelEntry } from "../../../packages/core/src/model-store/catalog-types.js";
import { sha256Hex } from "../../../packages/core/src/model-store/sha256.js";
import { ModelStore } from "../../../packages/core/src/model-store/store.js";

const bytes = new TextEncoder().encode("pretend onnx");
const entry = {
  id: "test/tiny",
  task: "test",
  version: "1.0.0",
  files: [{ name: "model.onnx", sha256: sha256Hex(bytes), bytes: bytes.length, url: undefined }],
} as unknown as ModelEntry;

describe("ModelStore", () => {
  it("loads from the bucket once, verifies sha256 and fills the cache", async () => {
    const cache = new MemoryBlobStore();
    const bucket = new MemoryBlobStore();
    await bucket.put(modelFileKey(entry, "model.onnx"), bytes);
    const store = new ModelStore(cache, bucket);
    expect(await store.installedIn(entry)).toBe("bucket");
    expect(await store.file(entry, "model.onnx")).toEqual(bytes);
    expect(await cache.get("models/test/tiny/1.0.0/model.onnx")).toBeDefined();
    expect(await store.installedIn(entry)).toBe("memory");
  });

  it("rejects a corrupted file", async () => {
    const bucket = new MemoryBlobStore();
    await bucket.put(modelFileKey(entry, "model.onnx"), "tampered");
    await expect(new ModelStore(new MemoryBlobStore(), bucket).file(entry, "model.onnx")).rejects.toThrow(
      IntegrityError,
    );
  });

  it("names the pull command when a model is missing", async () => {
    const store = new ModelStore(new MemoryBlobStore(), new MemoryBlobStore());
    await expect(store.file(entry, "model.onnx")).rejects.toThrow(ModelNotInstalledError);
    await expect(store.file(entry, "model.onnx")).rejects.toThrow("npm run models:pull");
    expect(await store.installedIn(entry)).toBeUndefined();
  });
});

describe("pullModels", () => {
  it("prefers the mirror, falls back to the public URL, and verifies both", async () => {
    const target = new MemoryBlobStore();
    const withUrl = {
      ...entry,
      files: [{ ...entry.files[0], url: "https://example.test/tiny.onnx" }],
    } as ModelEntry;
    const fetched: string[] = [];
    const fetchImpl = (async (url: string) => {
      fetched.push(url);
      return new Response(url.includes("mirror") ? null : bytes, {
        status: url.includes("mirror") ? 404 : 200,
      });
    }) as typeof fetch;
    const reports = await pullModels([withUrl], { mirror: "https://mirror.test/models", target, fetchImpl });
    expect(fetched).toEqual([
      "https://mirror.test/models/test/tiny/model.onnx",
      "https://example.test/tiny.onnx",
    ]);
    expect(reports[0]).toMatchObject({ outcome: "pulled", from: "https://example.test/tiny.onnx" });
    const again = await pullModels([withUrl], { mirror: undefined, target, fetchImpl });
    expect(again[0]?.outcome).toBe("present");
  });

  it("refuses bytes whose sha256 differs and explains a mirror-only model", async () => {
    const fetchImpl = (async () => new Response("evil")) as unknown as typeof fetch;
    const withUrl = {
      ...entry,
      files: [{ ...entry.files[0], url: "https://example.test/tiny.onnx" }],
    } as ModelEntry;
    await expect(
      pullModels([withUrl], { mirror: undefined, target: new MemoryBlobStore(), fetchImpl }),
    ).rejects.toThrow(IntegrityError);
    await expect(pullModels([entry], { mirror: undefined, target: new MemoryBlobStore() })).rejects.toThrow(
      "MAAS_MODEL_MIRROR",
    );
  });

  it("reports models it cannot get, and what to do, when asked to keep going", async () => {
    const target = new MemoryBlobStore();
    const reports = await pullModels([entry], { mirror: "/nonexistent", target, onMissing: "report" });
    expect(reports).toEqual([
      expect.objectContaining({
        id: entry.id,
        outcome: "missing",
        reason: expect.stringContaining("MAAS_MODEL_MIRROR"),
      }),
    ]);
    const message = missingModelsMessage(reports);
    expect(message).toContain(`1 not installed, their tasks answer 503 until they are: ${entry.id}`);
    expect(message).toContain("../shared/models");
    expect(missingModelsMessage([])).toBe("");
  });
});
