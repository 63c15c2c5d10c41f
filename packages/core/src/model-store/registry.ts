import { ModelNotFoundError } from "../errors.js";
import { parseWith, z } from "../schema.js";
import type { BlobStore } from "../storage/blob-store.js";
import { getJson } from "../storage/blob-store.js";
import { catalog } from "./catalog.js";
import type { ModelEntry } from "./catalog-types.js";

export const MODEL_ID = /^[a-z0-9][a-z0-9-]*\/[A-Za-z0-9][\w.-]{0,120}$/;

/** Key of a registered model's manifest in the models bucket (written by `npm run models:add`). */
export const manifestKey = (id: string) => `models/${id}/manifest.json`;

const tensor = z.object({
  name: z.string(),
  type: z.enum(["float32", "int64"]),
  shape: z.array(z.union([z.number(), z.string()])),
  description: z.string(),
});

export const manifestSchema = z.object({
  id: z.string().regex(MODEL_ID),
  task: z.string(),
  format: z.enum([
    "fasttext",
    "glove",
    "hf-text-classification",
    "hf-feature-extraction",
    "hf-causal-lm",
    "hf-image-classification",
  ]),
  version: z.string().min(1).max(64),
  description: z.string(),
  licence: z.string(),
  source: z.string(),
  files: z
    .array(
      z.object({
        name: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        bytes: z.number(),
        url: z.string().optional(),
      }),
    )
    .min(1),
  graph: z.string().optional(),
  inputs: z.array(tensor).default([]),
  outputs: z.array(tensor).default([]),
  preprocess: z.record(z.string(), z.unknown()).default({}),
  postprocess: z.record(z.string(), z.unknown()).default({}),
  labels: z.array(z.string()).default([]),
});

const builtIn = new Map(catalog.map((entry) => [entry.id, entry]));

/**
 * Resolves model ids: the built-in catalog first, then manifests registered in the models bucket
 * (cached per process for `ttlMs`, so a newly registered model is found without a redeploy).
 */
export class ModelRegistry {
  private readonly registered = new Map<string, { entry: ModelEntry | undefined; at: number }>();

  constructor(
    private readonly bucket: BlobStore | undefined,
    private readonly ttlMs = 60_000,
  ) {}

  async resolve(id: string): Promise<ModelEntry> {
    const known = builtIn.get(id) ?? (MODEL_ID.test(id) ? await this.registeredEntry(id) : undefined);
    if (!known) {
      const names = [...builtIn.keys()].join(", ");
      throw new ModelNotFoundError(
        `Unknown model "${id.slice(0, 200)}". Built-in models: ${names}; GET /v1/models lists all`,
      );
    }
    return known;
  }

  /** Every model: the built-in catalog, then the registered manifests. */
  async list(): Promise<ModelEntry[]> {
    if (!this.bucket) return [...catalog];
    const keys = (await this.bucket.list("models/")).filter((info) => info.key.endsWith("/manifest.json"));
    const ids = keys.map((info) => info.key.slice("models/".length, -"/manifest.json".length));
    const entries = await Promise.all(
      ids.filter((id) => !builtIn.has(id)).map((id) => this.registeredEntry(id)),
    );
    return [...catalog, ...entries.filter((entry): entry is ModelEntry => entry !== undefined)];
  }

  private async registeredEntry(id: string): Promise<ModelEntry | undefined> {
    const cached = this.registered.get(id);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.entry;
    const raw = this.bucket ? await getJson<unknown>(this.bucket, manifestKey(id)) : undefined;
    const entry = raw === undefined ? undefined : readManifest(raw, id);
    this.registered.set(id, { entry, at: Date.now() });
    return entry;
  }
}

function readManifest(raw: unknown, id: string): ModelEntry {
  const manifest = parseWith(manifestSchema, raw, `manifest of ${id}`);
  const files = manifest.files.map((file) => ({ ...file, url: file.url }));
  return { ...manifest, files, origin: "registered" };
}
