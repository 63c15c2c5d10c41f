/**
 * The image suite measured on this machine (part of `npm run bench`; alone: `npm run bench:image`): for
 * faces (RFB-320 on a 1,024-pixel photo, RFB-640 on a 1080p crowd frame, tiled on a 4K one), labels
 * (both classifiers), moderation, on-screen text and analyze (all four tasks), the handler, a minimal
 * script (core's runTask) and bare session.run in one loop; then frames/s of a 100-frame batch job with
 * all four tasks through S3 → SQS → the frames function; then packaged cold starts of the faces
 * function beside the baseline commit's (cold-compare.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { runTask, services } from "@marquee/core";
import { getTask } from "@marquee/core/registry";
import type { Twin } from "@marquee/core/twin";
import { crowdFrame } from "../support/frames.js";
import { subtitleFrame } from "../support/ocr-frames.js";
import { facePhoto } from "../support/shared.js";
import { measureBatch } from "./batch.js";
import { compareColdStarts } from "./cold-compare.js";
import { type EndpointBench, measure } from "./endpoint.js";
import { loadHandler } from "./handler.js";
import { round } from "./stats.js";

const COLD_ROUNDS = 3;
const BATCH_FRAMES = 100;
const ALL_TASKS = ["faces", "labels", "moderation", "text"];
const DOG = "/usr/share/darknet/data/dog.jpg";

interface ImageCase {
  name: string;
  route: string;
  path: string;
  task: string;
  image: Uint8Array;
  body: Record<string, unknown>;
  runs?: number;
}

async function cases(): Promise<ImageCase[]> {
  const photo = facePhoto("2.jpg");
  const [hd, uhd, subtitled] = await Promise.all([
    crowdFrame(1920, 1080, 3, 2),
    crowdFrame(3840, 2160, 4, 3),
    subtitleFrame("dark"),
  ]);
  const dog = existsSync(DOG) ? readFileSync(DOG) : photo;
  const faces = (name: string, image: Uint8Array, detector: string, runs?: number): ImageCase => ({
    name,
    route: "functions/http/faces.handler",
    path: "/v1/faces",
    task: "faces",
    image,
    body: { options: { detector } },
    ...(runs && { runs }),
  });
  return [
    faces("faces 320 (2.jpg, 1024×484)", photo, "standard"),
    faces("faces 640 (1080p crowd)", hd, "auto"),
    faces("faces tiled (4K crowd)", uhd, "auto", 12),
    ...["image-classification/mobilenetv2-12-int8", "image-classification/mobilenet-v1-0.75-224"].map(
      (model): ImageCase => ({
        name: `labels ${model.split("/")[1]} (dog.jpg)`,
        route: "functions/http/labels.handler",
        path: "/v1/labels",
        task: "labels",
        image: dog,
        body: { model },
      }),
    ),
    {
      name: "moderation (dog.jpg)",
      route: "functions/http/moderation.handler",
      path: "/v1/moderation",
      task: "moderation",
      image: dog,
      body: {},
    },
    {
      name: "text (1080p subtitled frame)",
      route: "functions/http/text.handler",
      path: "/v1/text",
      task: "text",
      image: subtitled,
      body: {},
      runs: 15,
    },
    {
      name: "analyze, 4 tasks (2.jpg)",
      route: "functions/http/analyze.handler",
      path: "/v1/analyze",
      task: "analyze",
      image: photo,
      body: { tasks: ALL_TASKS },
      runs: 15,
    },
  ];
}

export async function benchImage(twin: Twin, progress: (line: string) => void) {
  const shared = services();
  const endpoints: EndpointBench[] = [];
  for (const entry of await cases()) {
    progress(`image: ${entry.name}`);
    const handler = await loadHandler(entry.route);
    const task = getTask(entry.task);
    const body = { ...entry.body, image: Buffer.from(entry.image).toString("base64") };
    const minimal = (request: unknown) => {
      const { image: _image, ...rest } = request as Record<string, unknown>;
      return runTask(task, { ...rest, image: { kind: "inline", bytes: entry.image } } as never, shared);
    };
    endpoints.push(
      await measure(entry.name, handler, entry.path, [body], minimal, twin.apiKey, 1, entry.runs),
    );
  }
  progress(`image: a ${BATCH_FRAMES}-frame batch job with ${ALL_TASKS.join(", ")}`);
  const batch = await measureBatch(twin, BATCH_FRAMES, { manifest: { tasks: ALL_TASKS } });
  const coldStart = await compareColdStarts(twin, COLD_ROUNDS, progress);
  return {
    endpoints,
    coldStart,
    batch: {
      frames: batch.frames,
      tasks: ALL_TASKS,
      status: batch.status,
      counts: batch.counts,
      wallS: round(batch.wallMs / 1000, 2),
      framesPerSecond: round(batch.framesPerSecond, 2),
      perFrameMs: round(batch.perFrameMs, 1),
      modelMsPerFrame: round(batch.modelMs / batch.frames, 1),
    },
  };
}

export type ImageBench = Awaited<ReturnType<typeof benchImage>>;

export function printImage(result: ImageBench): void {
  console.log("\nImage suite (warm, in-process handlers, one onnxruntime thread)");
  console.table(
    result.endpoints.map((entry) => ({
      endpoint: entry.name,
      "request p50 ms": entry.requestMs.p50,
      "p95 ms": entry.requestMs.p95,
      "minimal p50 ms": entry.minimalMs.p50,
      "model p50 ms": entry.modelMs.p50,
      "request÷model": entry.overheadRatioP50,
      "handler÷minimal": entry.handlerOverMinimalP50,
    })),
  );
  console.log("frames batch (all four tasks):", result.batch);
  console.log("\nPackaged faces cold start to the first result (median, interleaved runs)");
  console.table(result.coldStart.rows);
  console.log(`current ÷ baseline: ${result.coldStart.currentOverBaseline}`);
}
