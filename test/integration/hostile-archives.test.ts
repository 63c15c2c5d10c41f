import {
  type _Object,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { type JobSummary, services } from "@marquee/core";
import type { Twin } from "@marquee/core/twin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deepTarPath,
  deflatedWithZeros,
  longNameAndSpecialMembers,
  manyEntriesZip,
  pixelBombPng,
  writeTar,
  writeZip,
  type ZipMember,
  zipMember,
} from "../support/hostile-archives.js";
import { facePhoto, hasShared } from "../support/shared.js";
import { startTestTwin } from "../support/twin.js";

const MIB = 1 << 20;
const long = !!process.env.HOSTILE_LONG;

interface HostileCase {
  job: string;
  uploads: Record<string, () => Uint8Array>;
  frames: number;
  errors: number;
  /** Item names (below frames/ or errors/) that must exist. */
  has?: string[];
}

function cases(): HostileCase[] {
  const jpeg = facePhoto("2.jpg");
  const bombs = (count: number, inflated: number): ZipMember[] => {
    const stream = deflatedWithZeros(new Uint8Array(), inflated);
    return Array.from({ length: count }, (_, i) => ({
      name: `bomb-${String(i).padStart(2, "0")}.jpg`,
      stored: stream,
      method: 8,
      declaredSize: MIB,
    }));
  };
  const ok = zipMember("ok.jpg", jpeg, 8);
  const deepTar = deepTarPath;
  return [
    {
      job: "h-bombs",
      uploads: { "b.zip": () => writeZip([...bombs(20, 200 * MIB), ok]) },
      frames: 1,
      errors: 20,
    },
    {
      job: "h-tail",
      uploads: {
        "t.zip": () =>
          writeZip([
            {
              name: "tail.jpg",
              stored: deflatedWithZeros(jpeg, 200 * MIB),
              method: 8,
              declaredSize: jpeg.length,
            },
            ok,
          ]),
      },
      frames: 1,
      errors: 1,
      has: ["errors/t.zip!/tail.jpg"],
    },
    {
      job: "h-stored",
      uploads: {
        "s.zip": () =>
          writeZip([{ name: "s.jpg", stored: new Uint8Array(21 * MIB), declaredSize: 1000 }, ok]),
      },
      frames: 1,
      errors: 1,
    },
    {
      job: "h-overlap",
      uploads: {
        "o.zip": () =>
          writeZip([zipMember("a.jpg", jpeg), zipMember("b.jpg", jpeg)], {
            aliases: [{ of: 0, name: "alias.jpg" }],
          }),
      },
      frames: 1,
      errors: 2,
    },
    { job: "h-zip64", uploads: { "m.zip": () => manyEntriesZip(70_000, true) }, frames: 0, errors: 1 },
    { job: "h-wrapped", uploads: { "w.zip": () => manyEntriesZip(70_000, false) }, frames: 0, errors: 1 },
    {
      job: "h-names",
      uploads: {
        "n.zip": () =>
          writeZip([
            ...[
              "a\u0000b.jpg",
              "c\u0007.jpg",
              "../up.jpg",
              `${"s".repeat(300)}/x.jpg`,
              `${"p/".repeat(550)}deep.jpg`,
            ]
              .concat(["dup.jpg", "/dup.jpg", "dup.jpg~2", "./dup.jpg"])
              .map((name) => zipMember(name, jpeg)),
            { ...zipMember("link.jpg", Buffer.from("/etc/passwd")), mode: 0o120777 },
          ]),
      },
      frames: 9,
      errors: 1,
      has: [
        "frames/n.zip!/a%00b.jpg",
        "frames/n.zip!/dup.jpg",
        "frames/n.zip!/dup.jpg~2",
        "errors/n.zip!/link.jpg",
      ],
    },
    {
      job: "h-tar",
      uploads: {
        "t.tar": () =>
          writeTar([
            ...longNameAndSpecialMembers(jpeg),
            { name: "cut.jpg", data: jpeg.subarray(0, 3000) },
            { name: "bomb.png", data: pixelBombPng() },
          ]),
      },
      frames: 3,
      errors: 6,
      has: [`frames/t.tar!/${deepTar("pax")}`, `frames/t.tar!/${deepTar("gnu")}`, "errors/t.tar!/bomb.png"],
    },
    {
      job: "h-truncated",
      uploads: {
        "cut.tar": () =>
          writeTar([
            { name: "a.jpg", data: jpeg },
            { name: "b.jpg", data: jpeg },
          ]).subarray(0, 512 + Math.ceil(jpeg.length / 512) * 512 + 700),
      },
      frames: 1,
      errors: 1,
    },
    {
      job: "h-collide",
      uploads: { "a.zip": () => writeZip([zipMember("x.jpg", jpeg)]), "a.zip/x.jpg": () => jpeg },
      frames: 2,
      errors: 0,
      has: ["frames/a.zip!/x.jpg", "frames/a.zip/x.jpg"],
    },
    ...(long
      ? [
          {
            job: "h-long-100k",
            uploads: { "l.zip": () => manyEntriesZip(100_000, true) },
            frames: 0,
            errors: 1,
          },
          {
            job: "h-long-2gb",
            uploads: { "g.zip": () => writeZip(bombs(20, 2048 * MIB)) },
            frames: 0,
            errors: 20,
          },
        ]
      : []),
  ];
}

describe.skipIf(!hasShared)("hostile archives uploaded to the twin", () => {
  let twin: Twin;
  let s3: S3Client;

  beforeAll(async () => {
    twin = await startTestTwin();
    s3 = new S3Client({
      region: "us-east-1",
      endpoint: twin.s3Endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
  });
  afterAll(() => twin?.close());

  const put = (key: string, body: Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket: twin.buckets.media, Key: key, Body: body }));
  const list = async (bucket: string, prefix: string): Promise<_Object[]> => {
    const out: _Object[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      out.push(...(page.Contents ?? []));
      token = page.NextContinuationToken;
    } while (token);
    return out;
  };
  const readJson = async <T>(key: string): Promise<T> => {
    const out = await s3.send(new GetObjectCommand({ Bucket: twin.buckets.results, Key: key }));
    return JSON.parse(await (out.Body?.transformToString() ?? "{}")) as T;
  };

  /**
   * Polls GET /v1/health every 50 ms until `work` settles; returns the slowest answer in ms, and the
   * slowest among answers during which no model ran. The twin runs models in its own event loop (a
   * session.run blocks it, more so on a loaded machine), which Lambda never does to health; archive work
   * must never block it.
   */
  async function healthDuring(work: Promise<unknown>): Promise<{ worst: number; archiveWorst: number }> {
    const runtime = services().runtime;
    let done = false;
    let worst = 0;
    let archiveWorst = 0;
    const poller = (async () => {
      while (!done) {
        const runsBefore = runtime.started;
        const busyBefore = runtime.queued > 0;
        const started = performance.now();
        const response = await fetch(`${twin.apiUrl}/v1/health`);
        await response.arrayBuffer();
        const elapsed = performance.now() - started;
        worst = Math.max(worst, elapsed);
        if (!busyBefore && runtime.queued === 0 && runtime.started === runsBefore) {
          archiveWorst = Math.max(archiveWorst, elapsed);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await work.finally(() => {
      done = true;
    });
    await poller;
    return { worst, archiveWorst };
  }

  /** Uploads one case, waits for it, and checks one record per entry and untouched uploads. */
  async function runCase(hostile: HostileCase) {
    const started = performance.now();
    const bodies = Object.entries(hostile.uploads).map(([name, build]) => [name, build()] as const);
    const work = (async () => {
      for (const [name, body] of bodies) await put(`uploads/frames/${hostile.job}/${name}`, body);
      await twin.idle();
    })();
    const health = await healthDuring(work);
    const uploads = await list(twin.buckets.media, `uploads/frames/${hostile.job}/`);
    const prefix = `results/${hostile.job}/`;
    const frames = await list(twin.buckets.results, `${prefix}frames/`);
    const errors = await list(twin.buckets.results, `${prefix}errors/`);
    const summary = await readJson<JobSummary>(`${prefix}job.json`);
    console.info(
      `${hostile.job}: ${frames.length} frames, ${errors.length} error records in ` +
        `${(performance.now() - started).toFixed(0)} ms; health max ${health.worst.toFixed(1)} ms, ` +
        `${health.archiveWorst.toFixed(1)} ms while no model ran`,
    );
    expect({ frames: frames.length, errors: errors.length }).toEqual({
      frames: hostile.frames,
      errors: hostile.errors,
    });
    expect(summary).toMatchObject({
      status: expect.stringMatching(/^(completed|completed_with_errors|failed)$/),
      counts: { total: hostile.frames + hostile.errors, ok: hostile.frames, failed: hostile.errors },
    });
    const items = [...frames, ...errors].map((item) =>
      (item.Key ?? "").slice(prefix.length, -".json".length),
    );
    for (const name of hostile.has ?? []) expect(items).toContain(name);
    for (const item of [...frames, ...errors])
      expect(Buffer.byteLength(item.Key ?? "")).toBeLessThanOrEqual(1024);
    expect(health.archiveWorst).toBeLessThan(300);
    expect([...twin.queues.values()].flatMap((queue) => queue.deadLetters)).toEqual([]);
    return { uploads, errors, prefix };
  }

  it("warms the faces model and the health path (not measured: neither is archive work)", async () => {
    // The first few faces runs of a process block the event loop for 0.2-1.5 s (model sessions
    // warming up), whatever the upload: measured separately, archive work alone stays under 60 ms.
    const jpeg = facePhoto("2.jpg");
    for (const name of ["1.jpg", "2.jpg", "3.jpg"]) {
      await put(`uploads/frames/h-warmup/${name}`, jpeg);
      await twin.idle();
    }
    await put(
      "uploads/frames/h-warmup/w.zip",
      writeZip(["1", "2", "3"].map((n) => zipMember(`${n}.jpg`, jpeg))),
    );
    await twin.idle();
    // The first health answer of a process is slower (~130 ms: the client's first connection and the
    // response schema check compiled on first use), whichever case would come first.
    await (await fetch(`${twin.apiUrl}/v1/health`)).arrayBuffer();
  }, 60_000);

  it("records every entry exactly once, keeps uploads untouched and health responsive", async () => {
    for (const hostile of cases()) {
      const { uploads, errors, prefix } = await runCase(hostile);
      const replay = twin.redeliver(`uploads/frames/${hostile.job}/`);
      expect(replay).toBe(Object.keys(hostile.uploads).length);
      await twin.idle();
      const after = await list(twin.buckets.media, `uploads/frames/${hostile.job}/`);
      expect(after.map((item) => [item.Key, item.ETag])).toEqual(
        uploads.map((item) => [item.Key, item.ETag]),
      );
      if (hostile.job === "h-tar") {
        const skipped = await readJson<{ status: string; error: { code: string } }>(
          `${prefix}errors/t.tar!/link.jpg.json`,
        );
        expect(skipped).toMatchObject({ status: "skipped", error: { code: "not_a_file" } });
      }
      if (hostile.job === "h-zip64") {
        const record = await readJson<{ error: { message: string } }>(errors[0]?.Key ?? "");
        expect(record.error.message).toContain("70000 entries");
      }
    }
  }, 240_000);

  it("replaces an archive's results exactly when a smaller version is uploaded", async () => {
    const jpeg = facePhoto("2.jpg");
    const first = writeZip([
      zipMember("1.jpg", jpeg),
      zipMember("2.jpg", jpeg),
      zipMember("3.txt", Buffer.from("no")),
    ]);
    await runCase({ job: "h-reupload", uploads: { "reel.zip": () => first }, frames: 2, errors: 1 });
    await runCase({
      job: "h-reupload",
      uploads: { "reel.zip": () => writeZip([zipMember("2.jpg", jpeg)]) },
      frames: 1,
      errors: 0,
      has: ["frames/reel.zip!/2.jpg"],
    });
    const list = await readJson<{ items: string[] }>("results/h-reupload/items/reel.zip.json");
    expect(list.items).toEqual(["reel.zip!/2.jpg"]);
  }, 60_000);
});
