import { NotFoundError } from "../errors.js";
import { bounded, parseWith, requestBody, z } from "../schema.js";
import type { Services } from "../services.js";
import type { BlobInfo } from "../storage/blob-store.js";
import { getJson } from "../storage/blob-store.js";

/** Records up to this size are inlined; larger ones (and every file) come as a presigned URL. */
const INLINE_BYTES = 64 * 1024;
const URL_TTL_SECONDS = 900;
/** Where a job's per-item records are: results of its frames, and error (or skipped) records. */
const recordFolders = (job: string) => ({ ok: `results/${job}/frames/`, failed: `results/${job}/errors/` });

export const jobResultsQuery = requestBody({
  limit: z.coerce
    .number()
    .pipe(bounded(1, 1000, { integer: true }))
    .default(100),
  next: z.string().max(2048).optional().describe("The `next` of the previous page"),
}).meta({ id: "JobResultsQuery" });

const itemRecord = z.object({
  item: z.string(),
  status: z.enum(["ok", "failed", "skipped"]),
  key: z.string().describe("The record in the results bucket"),
  result: z.unknown().optional().describe("The task's result, for an ok record of at most 64 KiB"),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  url: z.string().optional().describe("A presigned GET for a record too large to inline (15 min)"),
});

export const jobResults = z
  .object({
    job: z.string(),
    items: z.array(itemRecord).describe("Per-item records (frames), in key order"),
    files: z
      .array(z.object({ key: z.string(), bytes: z.int(), url: z.string().optional() }))
      .describe("The job's files (job.json, sentiment.jsonl, titles.json…), on the first page only"),
    next: z.string().optional().describe("Pass as ?next= for the following page; absent on the last"),
  })
  .meta({ id: "JobResults" });

type Query = z.output<typeof jobResultsQuery>;
type ItemRecord = z.output<typeof itemRecord>;

const encodeCursor = (key: string) => Buffer.from(key).toString("base64url");
const decodeCursor = (cursor: string) => Buffer.from(cursor, "base64url").toString("utf8");

export function parseJobResultsQuery(query: Record<string, string | undefined> | undefined): Query {
  return parseWith(jobResultsQuery, query ?? {}, "query");
}

async function describe(info: BlobInfo, job: string, services: Services): Promise<ItemRecord> {
  const folders = recordFolders(job);
  const failed = info.key.startsWith(folders.failed);
  const fallbackName = info.key.slice((failed ? folders.failed : folders.ok).length, -".json".length);
  const base = { item: fallbackName, status: failed ? ("failed" as const) : ("ok" as const), key: info.key };
  if (info.size > INLINE_BYTES) {
    const url = await services.results.presignGet?.(info.key, URL_TTL_SECONDS);
    return { ...base, ...(url && { url }) };
  }
  const record = await getJson<Partial<ItemRecord>>(services.results, info.key);
  return {
    ...base,
    item: record?.item ?? base.item,
    status: record?.status ?? base.status,
    ...(record?.result !== undefined && { result: record.result }),
    ...(record?.error && { error: record.error }),
  };
}

/** One page of a job's per-item records, and on the first page its files, with presigned URLs. */
export async function listJobResults(job: string, query: Query, services: Services) {
  const prefix = `results/${job}/`;
  const itemPrefixes = Object.values(recordFolders(job));
  const firstPage = query.next === undefined;
  // The first page lists the whole job (its files too); later ones only the two record folders.
  const listed = firstPage
    ? await services.results.list(prefix)
    : (await Promise.all(itemPrefixes.map((start) => services.results.list(start)))).flat();
  if (listed.length === 0 && (firstPage || (await services.results.list(prefix)).length === 0)) {
    throw new NotFoundError(`No results for job "${job}" yet`);
  }
  const records = listed
    .filter((info) => itemPrefixes.some((start) => info.key.startsWith(start)))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const after = query.next === undefined ? undefined : decodeCursor(query.next);
  const rest = after === undefined ? records : records.filter((info) => info.key > after);
  const page = rest.slice(0, query.limit);
  const items = await Promise.all(page.map((info) => describe(info, job, services)));
  const files = !firstPage
    ? []
    : await Promise.all(
        listed
          .filter((info) => !info.key.slice(prefix.length).includes("/"))
          .map(async (info) => {
            const url = await services.results.presignGet?.(info.key, URL_TTL_SECONDS);
            return { key: info.key, bytes: info.size, ...(url && { url }) };
          }),
      );
  const last = page.at(-1);
  return {
    job,
    items,
    files,
    ...(rest.length > page.length && last && { next: encodeCursor(last.key) }),
  };
}
