/**
 * Model-only time: `session.run` through the core runtime (one run at a time), on zero tensors and, for
 * the detector, on the real preprocessed 2.jpg (input values change WASM kernel time measurably).
 */
import type { ModelEntry, Services } from "@marquee/core";
import { facesTask } from "@marquee/core/tasks/faces";
// Not exported by @marquee/core: the faces task's own decode and preprocessing.
import { decodeImage } from "../../packages/core/src/media/image.js";
import { detectorFeeds } from "../../packages/core/src/tasks/faces/preprocess.js";
import { round, type Summary, summarise } from "./stats.js";

export interface ModelTiming {
  model: string;
  input: "zeros" | "real";
  dims: number[];
  /** Time inside `session.run` (the runtime's own measurement). */
  sessionRunMs: Summary;
  /** `runtime.run` as a caller sees it: tensor creation, queue, session.run, output copy, dispose. */
  runtimeRunMs: Summary;
  /** Every measured `session.run`, in order. */
  samples: number[];
}

function dimsFor(entry: ModelEntry, batch: number): number[] {
  const shape = entry.inputs[0]?.shape ?? [];
  return shape.map((dim) => (typeof dim === "number" ? dim : batch));
}

async function timeModel(
  services: Services,
  entry: ModelEntry,
  batch: number,
  warmup: number,
  runs: number,
  real?: Float32Array,
): Promise<ModelTiming> {
  const dims = dimsFor(entry, batch);
  const input = entry.inputs[0];
  if (input?.type !== "float32") throw new Error(`${entry.id}: expected one float32 input`);
  const size = dims.reduce((product, dim) => product * dim, 1);
  const sessionRun: number[] = [];
  const runtimeRun: number[] = [];
  for (let index = 0; index < warmup + runs; index++) {
    if (real && real.length !== size) throw new Error(`${entry.id}: real input has ${real.length} values`);
    const data = real ? real.slice() : new Float32Array(size);
    const feeds = { [input.name]: { type: "float32" as const, data, dims } };
    const started = performance.now();
    const { modelMs } = await services.runtime.run(entry, feeds);
    const elapsed = performance.now() - started;
    if (index < warmup) continue;
    sessionRun.push(modelMs);
    runtimeRun.push(elapsed);
  }
  return {
    model: `${entry.id}@${entry.version}`,
    input: real ? "real" : "zeros",
    dims,
    sessionRunMs: summarise(sessionRun),
    runtimeRunMs: summarise(runtimeRun),
    samples: sessionRun.map((ms) => round(ms)),
  };
}

export interface ModelTimings {
  detector: ModelTiming;
  detectorReal: ModelTiming;
  emotion: ModelTiming;
  emotionBatch: ModelTiming;
}

/** The faces task's default models: detector on zeros and on `image`; emotion at batch 1 and `faces`. */
export async function measureModels(
  services: Services,
  image: Uint8Array,
  faces: number,
  options: { warmup: number; runs: number },
): Promise<ModelTimings> {
  const defaults = facesTask.defaultModels;
  const detector = await services.registry.resolve(defaults.detector ?? "face-detection/ultraface-rfb-320");
  const emotion = await services.registry.resolve(defaults.emotion ?? "face-emotion/mini-xception-fer2013");
  const decoded = await decodeImage(image, { maxPixels: services.config.maxImagePixels });
  const real = Object.values(detectorFeeds(detector, decoded))[0]?.data;
  return {
    detector: await timeModel(services, detector, 1, options.warmup, options.runs),
    detectorReal: await timeModel(services, detector, 1, options.warmup, options.runs, real),
    emotion: await timeModel(services, emotion, 1, options.warmup, options.runs),
    emotionBatch: await timeModel(services, emotion, Math.max(1, faces), options.warmup, options.runs),
  };
}
