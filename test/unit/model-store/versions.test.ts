import { describe, expect, it } from "vitest";
import { ModelRegistry } from "../../../packages/core/src/model-store/registry.js";
import { ModelVersions, type VersionManifest } from "../../../packages/core/src/model-store/versions.js";
import { MemoryBlobStore } from "../../../packages/core/src/storage/memory-store.js";

const draft = (job: string): Omit<VersionManifest, "version" | "files"> => ({
  id: "sentiment/reviews",
  task: "sentiment",
  format: "fasttext",
  description: "trained",
  licence: "own data",
  source: "training job",
  inputs: [],
  outputs: [],
  preprocess: {},
  postprocess: {},
  labels: ["positive", "negative"],
  training: {
    job,
    kind: "sentiment",
    algorithm: "logistic",
    params: {},
    dataFingerprint: "f",
    metrics: {},
    createdAt: new Date().toISOString(),
    parent: null,
  },
});

describe("model versions and aliases", () => {
  it("content-addresses versions: the same files are one version, new files a new one", async () => {
    const versions = new ModelVersions(new MemoryBlobStore());
    const a = await versions.publish(draft("j1"), { "model.onnx": Uint8Array.of(1, 2, 3) });
    const again = await versions.publish(draft("j2"), { "model.onnx": Uint8Array.of(1, 2, 3) });
    const b = await versions.publish(draft("j3"), { "model.onnx": Uint8Array.of(4) });
    expect(a.created).toBe(true);
    expect(again).toEqual({ manifest: a.manifest, created: false });
    expect(b.manifest.version).not.toBe(a.manifest.version);
    expect((await versions.list("sentiment/reviews")).map((m) => m.version)).toEqual([
      a.manifest.version,
      b.manifest.version,
    ]);
  });

  it("moves an alias, keeps its history for rollback, and resolves id, id@alias and id@version", async () => {
    const bucket = new MemoryBlobStore();
    const registry = new ModelRegistry(bucket, 60_000, 0);
    const versions = registry.versions as ModelVersions;
    const { manifest: v1 } = await versions.publish(draft("j1"), { "model.onnx": Uint8Array.of(1) });
    const { manifest: v2 } = await versions.publish(draft("j2"), { "model.onnx": Uint8Array.of(2) });
    await versions.moveAlias(v1.id, "default", { model: v1.id, version: v1.version });
    expect((await registry.resolve("sentiment/reviews")).version).toBe(v1.version);
    const moved = await versions.moveAlias(v1.id, "default", { model: v1.id, version: v2.version });
    expect(moved.previous).toEqual({ model: v1.id, version: v1.version });
    expect((await registry.resolve("sentiment/reviews@default")).version).toBe(v2.version);
    expect((await registry.resolve(`sentiment/reviews@${v1.version}`)).version).toBe(v1.version);
    await versions.moveAlias(v1.id, "default", {
      model: "sentiment/fasttext-amazon-polarity",
      version: "1.0.0",
    });
    expect((await registry.resolve("sentiment/reviews")).id).toBe("sentiment/fasttext-amazon-polarity");
    expect((await versions.history(v1.id, "default")).map((r) => r.seq)).toEqual([1, 2, 3]);
    await expect(registry.resolve("sentiment/reviews@staging")).rejects.toThrow(
      /no version or alias "staging"/,
    );
  });

  it("two concurrent promotions leave one consistent alias: one wins, the other gets a conflict", async () => {
    const versions = new ModelVersions(new MemoryBlobStore());
    const { manifest: v1 } = await versions.publish(draft("j1"), { "model.onnx": Uint8Array.of(1) });
    const { manifest: v2 } = await versions.publish(draft("j2"), { "model.onnx": Uint8Array.of(2) });
    const outcomes = await Promise.allSettled([
      versions.moveAlias(v1.id, "default", { model: v1.id, version: v1.version }),
      versions.moveAlias(v1.id, "default", { model: v1.id, version: v2.version }),
    ]);
    const won = outcomes.filter((o) => o.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect(outcomes.find((o) => o.status === "rejected")?.reason?.name).toBe("ConflictError");
    const history = await versions.history(v1.id, "default");
    expect(history).toHaveLength(1);
    expect(history[0]?.version).toBe((won[0] as PromiseFulfilledResult<{ version: string }>).value.version);
  });
});
