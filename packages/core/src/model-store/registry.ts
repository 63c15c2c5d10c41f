import { ModelNotFoundError } from "../errors.js";
import { parseWith } from "../schema.js";
import type { BlobStore } from "../storage/blob-store.js";
import { getJson } from "../storage/blob-store.js";
import { catalog } from "./catalog.js";
import type { ModelEntry } from "./catalog-types.js";
import { MODEL_ID, manifestSchema } from "./manifest.js";
import { type AliasRecord, entryOf, ModelVersions, VERSION } from "./versions.js";

export { MODEL_ID };
/** `id`, `id@version` or `id@alias`. */
export const MODEL_REF = /^([a-z0-9][a-z0-9-]*\/[A-Za-z0-9][\w.-]{0,120})(?:@([a-z0-9][a-z0-9-]{0,39}))?$/;

/** Key of a registered model's manifest in the models bucket (written by `npm run models:add`). */
export const manifestKey = (id: string) => `models/${id}/manifest.json`;

const builtIn = new Map(catalog.map((entry) => [entry.id, entry]));

/**
 * Resolves model references: `id` (the built-in catalog, then manifests registered in the models bucket,
 * then a trained model's `default` alias), `id@version` and `id@alias` (trained versions). Registered
 * manifests are cached for `ttlMs`, alias lookups for `aliasTtlMs` (a promotion is served that soon, without
 * a redeploy), version manifests for good (they never change).
 */
export class ModelRegistry {
  private readonly registered = new Map<string, { entry: ModelEntry | undefined; at: number }>();
  private readonly aliases = new Map<string, { record: AliasRecord | undefined; at: number }>();
  readonly versions: ModelVersions | undefined;

  constructor(
    private readonly bucket: BlobStore | undefined,
    private readonly ttlMs = 60_000,
    private readonly aliasTtlMs = 5_000,
  ) {
    this.versions = bucket ? new ModelVersions(bucket) : undefined;
  }

  async resolve(reference: string): Promise<ModelEntry> {
    const [, id = reference, ref] = MODEL_REF.exec(reference) ?? [];
    if (ref) {
      const trained = await this.trained(id, ref);
      if (trained) return trained;
      throw new ModelNotFoundError(
        `Model ${id} has no version or alias "${ref}"; GET /v1/models/${id}/versions lists them`,
      );
    }
    const known =
      builtIn.get(id) ??
      (MODEL_ID.test(id) ? ((await this.registeredEntry(id)) ?? (await this.promoted(id))) : undefined);
    if (!known) {
      const names = [...builtIn.keys()].join(", ");
      throw new ModelNotFoundError(
        `Unknown model "${id.slice(0, 200)}". Built-in models: ${names}; GET /v1/models lists all`,
      );
    }
    return known;
  }

  /** Where a trained model's `default` alias points, if it has one (a task's promoted model). */
  promoted(id: string): Promise<ModelEntry | undefined> {
    return this.trained(id, "default");
  }

  /** Forgets cached aliases (after this process moved one). */
  forgetAliases(): void {
    this.aliases.clear();
  }

  private async trained(id: string, ref: string): Promise<ModelEntry | undefined> {
    const versions = this.versions;
    if (!versions || !MODEL_ID.test(id)) return undefined;
    if (VERSION.test(ref)) {
      const manifest = await versions.manifest(id, ref);
      return manifest && entryOf(manifest);
    }
    const key = `${id}@${ref}`;
    let cached = this.aliases.get(key);
    if (!cached || Date.now() - cached.at >= this.aliasTtlMs) {
      cached = { record: await versions.alias(id, ref), at: Date.now() };
      this.aliases.set(key, cached);
    }
    const record = cached.record;
    if (!record) return undefined;
    if (record.model !== id) return builtIn.get(record.model) ?? (await this.registeredEntry(record.model));
    const manifest = await versions.manifest(id, record.version);
    return manifest && entryOf(manifest);
  }

  /** Every model: the built-in catalog, the registered manifests, then trained models (at `default`). */
  async list(): Promise<ModelEntry[]> {
    if (!this.bucket) return [...catalog];
    const keys = (await this.bucket.list("models/")).filter((info) => info.key.endsWith("/manifest.json"));
    const paths = keys.map((info) => info.key.slice("models/".length, -"/manifest.json".length));
    const registered = paths.filter((id) => MODEL_ID.test(id) && !builtIn.has(id));
    const trained = [
      ...new Set(
        paths
          .map((path) => /^(.+)\/([0-9a-f]{16})$/.exec(path)?.[1])
          .filter((id): id is string => id !== undefined && MODEL_ID.test(id)),
      ),
    ];
    const entries = await Promise.all([
      ...registered.map((id) => this.registeredEntry(id)),
      ...trained.map(async (id) => {
        const promoted = await this.promoted(id);
        return promoted?.id === id ? promoted : (await this.versions?.list(id))?.at(-1);
      }),
    ]);
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
