import { InvalidInputError, isInputError, PayloadTooLargeError, publicError } from "../../errors.js";
import { runTask } from "../../operations/inference.js";
import { modelId, parseWith, z } from "../../schema.js";
import type { Services } from "../../services.js";
import { getJson, putJson } from "../../storage/blob-store.js";
import { analyzeTask } from "../../tasks/analyze/index.js";
import { analysisManifest } from "../../tasks/analyze/request.js";
import { facesOptions, facesTask } from "../../tasks/faces/index.js";
import { looksLikeArchive, readArchive } from "../archive/index.js";
import { replaceItemList } from "../archive/item-list.js";
import { memberItemNames, singleItemName } from "../item-names.js";
import { maxItemNameBytes, resultKeys } from "../keys.js";
import type { SourceRef, UnitOutcome } from "../records.js";
import type { BatchKind, BatchUnit, SourceContext } from "./types.js";

type ItemError = { code: string; message: string };

interface Frame {
  item: string;
  /** The frame's bytes; rejects (an input error) when this frame cannot be had. */
  load(): Promise<Uint8Array>;
  /** Set for archive members that are not files (links, devices): recorded as skipped, never read. */
  skipped?: ItemError;
}

const failing = (item: string, error: Error): Frame => ({ item, load: () => Promise.reject(error) });

/**
 * `manifest.json` of a frames job: faces with a model and options for every frame, or (with `tasks`)
 * any set of image tasks, exactly as `POST /v1/analyze` takes them — each frame decoded once for all.
 */
const facesManifest = z.strictObject({ model: modelId.optional(), options: facesOptions.optional() });

function analyseFrame(manifest: unknown, bytes: Uint8Array, services: Services) {
  const image = { kind: "inline" as const, bytes };
  if (manifest && typeof manifest === "object" && "tasks" in manifest) {
    const analysis = parseWith(analysisManifest, manifest, "manifest");
    return runTask(analyzeTask, { ...analysis, image }, services);
  }
  return runTask(facesTask, { ...parseWith(facesManifest, manifest ?? {}, "manifest"), image }, services);
}

/** The frames of an archive upload, in item-name order; the archive itself fails as one item. */
async function archiveFrames(context: SourceContext, own: string, bytes: Uint8Array): Promise<Frame[]> {
  const { job, name, source, services } = context;
  let frames: Frame[];
  try {
    const entries = await readArchive(bytes, {
      maxEntries: services.config.maxArchiveFrames,
      maxEntryBytes: services.config.maxFrameBytes,
    });
    if (entries.length === 0) throw new InvalidInputError("The archive holds no frames");
    const names = memberItemNames(
      name,
      entries.map((entry) => entry.name),
      maxItemNameBytes(job),
    );
    frames = entries.map((entry, index): Frame => {
      const item = names[index] as string;
      if (entry.kind === "file") return { item, load: () => entry.read() };
      const skipped = { code: "not_a_file", message: `A ${entry.kind} entry is not a frame; skipped` };
      return { item, load: () => Promise.reject(new InvalidInputError(skipped.message)), skipped };
    });
  } catch (error) {
    if (!isInputError(error)) throw error;
    frames = [failing(own, error as Error)];
  }
  await replaceItemList(
    job,
    own,
    source,
    frames.map((frame) => frame.item),
    services,
  );
  return frames.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
}

async function framesOf(context: SourceContext): Promise<Frame[]> {
  const { item, name, job, source, services } = context;
  const limits = services.config;
  const own = singleItemName(name, maxItemNameBytes(job));
  const archive = looksLikeArchive(name);
  const limit = archive ? limits.maxArchiveBytes : limits.maxFrameBytes;
  if (item.size > limit) {
    const tooLarge = failing(own, new PayloadTooLargeError(`${item.size} bytes; the limit is ${limit}`));
    if (archive) await replaceItemList(job, own, source, [own], services);
    return [tooLarge];
  }
  const blob = await services.media.get(item.key);
  if (!blob) return [];
  if (!archive) return [{ item: own, load: async () => blob.bytes }];
  return archiveFrames(context, own, blob.bytes);
}

interface ItemRecord {
  source?: SourceRef;
  status: "ok" | "failed" | "skipped";
  error?: ItemError;
}

/** This source's earlier record of the frame (a retried message), and keys left by older uploads. */
async function previousRecords(job: string, frame: string, source: SourceRef, services: Services) {
  let current: ItemRecord | undefined;
  const stale: string[] = [];
  for (const key of [resultKeys.frame(job, frame), resultKeys.error(job, frame)]) {
    const record = await getJson<ItemRecord>(services.results, key);
    if (!record) continue;
    if (record.source?.etag === source.etag && record.source.key === source.key) current = record;
    else stale.push(key);
  }
  return { current, stale };
}

const failed = (item: string, error: ItemError): UnitOutcome => ({
  ok: 0,
  failed: 1,
  errors: [{ item, ...error }],
  models: [],
  timings: {},
});

async function processFrame(context: SourceContext, frame: Frame): Promise<UnitOutcome> {
  const { job, source, services } = context;
  const { current, stale } = await previousRecords(job, frame.item, source, services);
  if (current?.status === "ok") return { ok: 1, failed: 0, errors: [], models: [], timings: {} };
  if (current) return failed(frame.item, current.error ?? publicError(undefined));
  // A re-upload replaces what an older version of the frame produced, success or error alike.
  await Promise.all(stale.map((key) => services.results.delete(key)));
  const processedAt = new Date().toISOString();
  const record = { job, item: frame.item, source, processedAt };
  const errorKey = resultKeys.error(job, frame.item);
  if (frame.skipped) {
    await putJson(services.results, errorKey, { ...record, status: "skipped", error: frame.skipped });
    return failed(frame.item, frame.skipped);
  }
  try {
    const { modelMs, ...result } = await analyseFrame(context.manifest, await frame.load(), services);
    await putJson(services.results, resultKeys.frame(job, frame.item), { ...record, status: "ok", result });
    return { ok: 1, failed: 0, errors: [], models: result.models, timings: { ...result.timings, modelMs } };
  } catch (error) {
    // Anything not caused by the frame itself (S3, a missing model, a bug) is retried, not recorded.
    if (!isInputError(error)) throw error;
    const details = publicError(error);
    await putJson(services.results, errorKey, { ...record, status: "failed", error: details });
    return failed(frame.item, details);
  }
}

/**
 * Images (JPEG, PNG, WebP) or .zip/.tar archives of them: exactly one result (faces, or the manifest's
 * tasks) or error record per frame, named by item-names.ts. Members that are not files get a "skipped" error record.
 */
export const framesKind: BatchKind = {
  id: "frames",
  async *expand(context): AsyncIterable<BatchUnit> {
    for (const frame of await framesOf(context)) {
      yield { name: frame.item, process: () => processFrame(context, frame) };
    }
  },
};
