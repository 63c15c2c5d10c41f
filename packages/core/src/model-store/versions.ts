/**
 * Model versions written at run time (training jobs), beside the static catalog:
 *   models/<id>/<version>/<file>            the files (the same keys the ModelStore reads)
 *   models/<id>/<version>/manifest.json     written last, once: a version exists when its manifest does
 *   models/<id>/aliases/<alias>/<seq>.json  the alias history; the highest seq is where the alias points
 * A version is content-addressed: its name is the sha256 of its files' names and hashes (first 16 hex), so
 * the same model trained twice is one version. Moving an alias is one conditional create of the next seq:
 * of two concurrent promotions one wins and the other gets a ConflictError; readers see the old or the new
 * target, never a mix, as a version's files are all written before its manifest and never change.
 */
import { createHash } from "node:crypto";
import { ConflictError, InvalidInputError } from "../errors.js";
import { parseWith, z } from "../schema.js";
import type { BlobStore } from "../storage/blob-store.js";
import { getJson } from "../storage/blob-store.js";
import { modelFileKey } from "./catalog.js";
import type { ModelEntry } from "./catalog-types.js";
import { manifestSchema } from "./manifest.js";
import { sha256Hex } from "./sha256.js";

export const ALIAS = /^[a-z][a-z0-9-]{0,39}$/;
export const VERSION = /^[0-9a-f]{16}$/;
const SEQ_DIGITS = 10;
const SETTLE_MS = 50;

export const trainingInfo = z.object({
  job: z.string(),
  kind: z.string(),
  algorithm: z.string(),
  params: z.record(z.string(), z.unknown()),
  dataFingerprint: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  /** Where the alias `default` pointed when this version was trained. */
  parent: z.object({ model: z.string(), version: z.string() }).nullable(),
});

export const versionManifestSchema = manifestSchema.extend({ training: trainingInfo });
export type VersionManifest = z.output<typeof versionManifestSchema>;

export const aliasRecordSchema = z.object({
  /** The model the alias points into: this one, or a catalog model (a rollback to the pretrained default). */
  model: z.string(),
  version: z.string(),
  seq: z.number().int().min(1),
  at: z.string(),
  previous: z.object({ model: z.string(), version: z.string() }).nullable(),
  nonce: z.string(),
});
export type AliasRecord = z.output<typeof aliasRecordSchema>;

export const versionManifestKey = (id: string, version: string) => `models/${id}/${version}/manifest.json`;
const aliasPrefix = (id: string, alias: string) => `models/${id}/aliases/${alias}/`;

/** The content address of a set of files: sha256 over "name sha256" lines in name order. */
export function versionOf(files: ReadonlyArray<{ name: string; sha256: string }>): string {
  const lines = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((file) => `${file.name} ${file.sha256}\n`);
  return createHash("sha256").update(lines.join("")).digest("hex").slice(0, 16);
}

export function entryOf(manifest: VersionManifest): ModelEntry {
  return {
    ...manifest,
    files: manifest.files.map((file) => ({ ...file, url: file.url })),
    origin: "registered",
  };
}

export class ModelVersions {
  private readonly manifests = new Map<string, VersionManifest>();

  constructor(private readonly bucket: BlobStore) {}

  /** Writes the files, then the manifest; returns the version (an identical existing version is reused). */
  async publish(
    draft: Omit<VersionManifest, "version" | "files">,
    files: Readonly<Record<string, Uint8Array>>,
  ): Promise<{ manifest: VersionManifest; created: boolean }> {
    const described = Object.entries(files).map(([name, bytes]) => ({
      name,
      sha256: sha256Hex(bytes),
      bytes: bytes.length,
    }));
    const version = versionOf(described);
    const existing = await this.manifest(draft.id, version);
    if (existing) return { manifest: existing, created: false };
    const manifest = parseWith(
      versionManifestSchema,
      { ...draft, version, files: described },
      "version manifest",
    );
    const entry = entryOf(manifest);
    for (const [name, bytes] of Object.entries(files))
      await this.bucket.put(modelFileKey(entry, name), bytes);
    await this.bucket.putIfAbsent(
      versionManifestKey(draft.id, version),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    return { manifest, created: true };
  }

  /** A version's manifest (immutable: cached for the process), undefined when there is none. */
  async manifest(id: string, version: string): Promise<VersionManifest | undefined> {
    const key = versionManifestKey(id, version);
    const cached = this.manifests.get(key);
    if (cached) return cached;
    const raw = await getJson<unknown>(this.bucket, key);
    if (raw === undefined) return undefined;
    const manifest = parseWith(versionManifestSchema, raw, `manifest of ${id}@${version}`);
    this.manifests.set(key, manifest);
    return manifest;
  }

  /** Every trained version of a model, oldest first. */
  async list(id: string): Promise<VersionManifest[]> {
    const prefix = `models/${id}/`;
    const keys = (await this.bucket.list(prefix))
      .map((info) => info.key.slice(prefix.length))
      .filter((rest) => /^[0-9a-f]{16}\/manifest\.json$/.test(rest));
    const manifests = await Promise.all(keys.map((rest) => this.manifest(id, rest.slice(0, 16))));
    return manifests
      .filter((manifest): manifest is VersionManifest => manifest !== undefined)
      .sort((a, b) => (a.training.createdAt < b.training.createdAt ? -1 : 1));
  }

  /** Names of the aliases a model has. */
  async aliasNames(id: string): Promise<string[]> {
    const prefix = `models/${id}/aliases/`;
    const names = (await this.bucket.list(prefix)).map((info) => info.key.slice(prefix.length).split("/")[0]);
    return [...new Set(names.filter((name): name is string => name !== undefined))].sort();
  }

  /** The alias's history, oldest first (the last record is where it points). */
  async history(id: string, alias: string): Promise<AliasRecord[]> {
    const keys = (await this.bucket.list(aliasPrefix(id, alias))).map((info) => info.key).sort();
    const records = await Promise.all(keys.map((key) => getJson<unknown>(this.bucket, key)));
    return records
      .filter((raw) => raw !== undefined)
      .map((raw) => parseWith(aliasRecordSchema, raw, `alias ${alias} of ${id}`));
  }

  async alias(id: string, alias: string): Promise<AliasRecord | undefined> {
    const keys = (await this.bucket.list(aliasPrefix(id, alias))).map((info) => info.key).sort();
    const last = keys[keys.length - 1];
    if (!last) return undefined;
    const raw = await getJson<unknown>(this.bucket, last);
    return raw === undefined ? undefined : parseWith(aliasRecordSchema, raw, `alias ${alias} of ${id}`);
  }

  /**
   * Points `alias` at `target` with one conditional create of the next change; with `expected` (the seq
   * the caller read) it is a compare-and-set. ConflictError when another move won.
   */
  async moveAlias(
    id: string,
    alias: string,
    target: { model: string; version: string },
    expected?: number,
  ): Promise<AliasRecord> {
    if (!ALIAS.test(alias)) {
      throw new InvalidInputError(
        `"${alias.slice(0, 50)}" is not an alias name (a-z, 0-9, -; 1-40 characters)`,
      );
    }
    const current = await this.alias(id, alias);
    if (expected !== undefined && expected !== (current?.seq ?? 0)) {
      throw new ConflictError(
        `alias ${alias} of ${id} moved (now at change ${current?.seq ?? 0}); read it and retry`,
      );
    }
    const seq = (current?.seq ?? 0) + 1;
    const record: AliasRecord = {
      model: target.model,
      version: target.version,
      seq,
      at: new Date().toISOString(),
      previous: current ? { model: current.model, version: current.version } : null,
      nonce: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    };
    const key = `${aliasPrefix(id, alias)}${String(seq).padStart(SEQ_DIGITS, "0")}.json`;
    const created = await this.bucket.putIfAbsent(key, `${JSON.stringify(record, null, 2)}\n`);
    // A server that ignored the condition keeps the later write: both writers then read the same record.
    if (created) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const stored = created ? await getJson<AliasRecord>(this.bucket, key) : undefined;
    if (!created || stored?.nonce !== record.nonce) {
      throw new ConflictError(
        `alias ${alias} of ${id} was moved by another request at the same time; read it and retry`,
      );
    }
    return record;
  }
}
