import { InvalidInputError, isInputError, PayloadTooLargeError, publicError } from "../../errors.js";
import { runTask } from "../../operations/inference.js";
import { modelId, parseWith, z } from "../../schema.js";
import type { Services } from "../../services.js";
import { getJson, putJson } from "../../storage/blob-store.js";
import { facesOptions, facesTask } from "../../tasks/faces/index.js";
import { type ArchiveEntry, looksLikeArchive, readArchive } from "../archive/index.js";
import { resultKeys } from "../keys.js";
import type { SourceRef, UnitOutcome } from "../records.js";
import type { BatchKind, BatchUnit, SourceContext } from "./types.js";

interface Frame {
  item: string;
  /** The frame's bytes; throws (an input error) when this frame cannot be had. */
  load(): Uint8Array;
}

const failing = (item: string, error: Error): Frame => ({
  item,
  load: () => {
    throw error;
  },
});

/** `manifest.json` of a frames job: the model and options every frame of the job is analysed with. */
const manifestSchema = z.strictObject({ model: modelId.optional(), options: facesOptions.optional() });

async function framesOf({ item, name, services }: SourceContext): Promise<Frame[]> {
  const limits = services.config;
  const archive = looksLikeArchive(name);
  const limit = archive ? limits.maxArchiveBytes : limits.maxFrameBytes;
  if (item.size > limit)
    return [failing(name, new PayloadTooLargeError(`${item.size} bytes; the limit is ${limit}`))];
  const blob = await services.media.get(item.key);
  if (!blob) return [];
  if (!archive) return [{ item: name, load: () => blob.bytes }];
  let entries: ArchiveEntry[];
  try {
    entries = readArchive(blob.bytes, {
      maxEntries: limits.maxArchiveFrames,
      maxEntryBytes: limits.maxFrameBytes,
    });
  } catch (error) {
    if (!isInputError(error)) throw error;
    return [failing(name, error as Error)];
  }
  if (entries.length === 0) return [failing(name, new InvalidInputError("The archive holds no frames"))];
  return entries.map((entry) => ({ item: `${name}/${entry.name}`, load: () => entry.read() }));
}

interface ItemRecord {
  source?: SourceRef;
  status: "ok" | "failed";
  error?: { code: string; message: string };
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

const failed = (item: string, error: { code: string; message: string }): UnitOutcome => ({
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
  try {
    const options = parseWith(manifestSchema, context.manifest ?? {}, "manifest");
    const { modelMs, ...result } = await runTask(
      facesTask,
      { ...options, image: { kind: "inline", bytes: frame.load() } },
      services,
    );
    await putJson(services.results, resultKeys.frame(job, frame.item), { ...record, status: "ok", result });
    return { ok: 1, failed: 0, errors: [], models: result.models, timings: { ...result.timings, modelMs } };
  } catch (error) {
    // Anything not caused by the frame itself (S3, a missing model, a bug) is retried, not recorded.
    if (!isInputError(error)) throw error;
    const details = publicError(error);
    await putJson(services.results, resultKeys.error(job, frame.item), {
      ...record,
      status: "failed",
      error: details,
    });
    return failed(frame.item, details);
  }
}

/** Images (JPEG, PNG, WebP) or .zip/.tar archives of them: one faces result (or error record) per frame. */
export const framesKind: BatchKind = {
  id: "frames",
  async *expand(context): AsyncIterable<BatchUnit> {
    for (const frame of await framesOf(context)) {
      yield { name: frame.item, process: () => processFrame(context, frame) };
    }
  },
};
