import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@marquee/core";
import { startTwin } from "@marquee/core/twin";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { startLocalS3 } from "../../packages/core/src/twin/s3-server.js";
import { hasShared, repoRoot, sharedData } from "../support/shared.js";

const API_KEY = "maas_restart_test_key";
const FRAMES = 50;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.skipIf(!hasShared)("the twin killed in the middle of a job", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "marquee-restart-"));
  let child: ChildProcess | undefined;
  let output = "";
  afterAll(() => {
    child?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** `npm start` as one process (tsx as a loader, not its own parent process), so SIGKILL kills it all. */
  const startTwinProcess = async (env: Record<string, string>) => {
    const twin = spawn(process.execPath, ["--import", "tsx", "packages/core/scripts/twin.ts"], {
      cwd: repoRoot,
      env: { ...process.env, MAAS_LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    output = "";
    twin.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    twin.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await until("the twin to start", async () => output.includes("is up") || undefined, 45_000).catch(
      (error: Error) => {
        twin.kill("SIGKILL");
        throw new Error(`${error.message}:\n${output}`);
      },
    );
    return twin;
  };
  const killed = (twin: ChildProcess) =>
    new Promise<void>((resolve) => {
      twin.once("exit", () => resolve());
      twin.kill("SIGKILL");
    });

  it("finishes the job after a restart, with every frame once, without a new upload", async () => {
    const [port, s3Port, streamPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      PORT: String(port),
      S3_PORT: String(s3Port),
      STREAM_PORT: String(streamPort),
      MAAS_TWIN_DIR: dataDir,
      MAAS_DEV_API_KEY: API_KEY,
    };
    const s3 = createS3Client({ region: "us-east-1", s3Endpoint: `http://127.0.0.1:${s3Port}` });
    const list = async (bucket: string, prefix: string) =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
        (item) => ({ key: item.Key ?? "", etag: item.ETag ?? "" }),
      );
    const results = async () => [
      ...(await list("marquee-local-results", "results/reel/frames/")),
      ...(await list("marquee-local-results", "results/reel/errors/")),
    ];
    const photo = readFileSync(sharedData("images/faces/2.jpg"));
    const members = Object.fromEntries(
      Array.from({ length: FRAMES }, (_, i) => [`frame-${String(i).padStart(3, "0")}.jpg`, photo]),
    );

    child = await startTwinProcess(env);
    await s3.send(
      new PutObjectCommand({
        Bucket: "marquee-local-media",
        Key: "uploads/frames/reel/reel.zip",
        Body: zipSync(members, { level: 0 }),
      }),
    );
    const upload = await list("marquee-local-media", "uploads/frames/reel/");
    const beforeKill = await until(
      "the first results",
      async () => ((await results()).length >= 3 ? (await results()).length : undefined),
      45_000,
    );
    await killed(child);
    expect(beforeKill).toBeLessThan(FRAMES);

    const restartedAt = Date.now();
    child = await startTwinProcess(env);
    const job = await until(
      "the job to complete",
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/v1/jobs/reel`, {
          headers: { "x-api-key": API_KEY },
        });
        const body = response.ok ? ((await response.json()) as { status: string }) : undefined;
        return body?.status === "completed" ? body : undefined;
      },
      50_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the twin said:\n${output}`);
    });
    const afterRestart = await results();
    console.log(
      `restart test: ${beforeKill} results before SIGKILL, ${afterRestart.length} after restart, ` +
        `job completed ${Date.now() - restartedAt} ms after the restart began`,
    );
    expect(job).toMatchObject({ status: "completed", counts: { total: FRAMES } });
    expect(afterRestart).toHaveLength(FRAMES);
    expect(new Set(afterRestart.map((result) => result.key)).size).toBe(FRAMES);
    expect(await list("marquee-local-media", "uploads/frames/reel/")).toEqual(upload);
    // The reloaded message carried the upload: the sweep did not queue it a second time.
    expect(output).toMatch(/1 messages redelivered, \d+ stale claims released, 0 unprocessed uploads queued/);
    await killed(child);
    child = undefined;
  }, 150_000);

  it("queues an upload whose event was lost (stored, then killed before queueing) when it starts", async () => {
    const folder = path.join(dataDir, "lost-event");
    const buckets = ["marquee-local-media", "marquee-local-results", "marquee-local-models"];
    const bare = await startLocalS3({ port: 0, directory: path.join(folder, "s3"), buckets });
    const s3 = createS3Client({ region: "us-east-1", s3Endpoint: bare.endpoint });
    await s3.send(
      new PutObjectCommand({
        Bucket: "marquee-local-media",
        Key: "uploads/frames/lost/2.jpg",
        Body: readFileSync(sharedData("images/faces/2.jpg")),
      }),
    );
    await bare.close();

    const lines: string[] = [];
    const twin = await startTwin({
      root: repoRoot,
      dataDir: folder,
      retryDelayMs: 50,
      log: (line) => lines.push(line),
    });
    try {
      await twin.idle();
      const twinS3 = createS3Client({ region: "us-east-1", s3Endpoint: twin.s3Endpoint });
      const listed = await twinS3.send(
        new ListObjectsV2Command({ Bucket: twin.buckets.results, Prefix: "results/lost/frames/" }),
      );
      expect(listed.Contents ?? []).toHaveLength(1);
      expect(lines.join("\n")).toContain(
        "0 messages redelivered, 0 stale claims released, 1 unprocessed uploads queued",
      );
      const response = await fetch(`${twin.apiUrl}/v1/jobs/lost`, { headers: { "x-api-key": twin.apiKey } });
      expect(await response.json()).toMatchObject({ status: "completed", counts: { total: 1 } });
    } finally {
      await twin.close();
    }
  }, 60_000);
});
