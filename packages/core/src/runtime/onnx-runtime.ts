import v8 from "node:v8";
import * as ort from "onnxruntime-web";
import { InternalError } from "../errors.js";
import { graphOf, type ModelEntry } from "../model-store/catalog-types.js";
import type { ModelStore } from "../model-store/store.js";
import { RunQueue } from "./run-queue.js";
import { resolveWasmDir, wasmPaths } from "./wasm-location.js";

export interface TensorInput {
  type: "float32" | "int64";
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}

export interface TensorOutput {
  data: Float32Array | BigInt64Array | Int32Array;
  dims: readonly number[];
}

export interface InputMetadata {
  name: string;
  type: string;
  /** Numbers for fixed dimensions, names for symbolic ones. */
  shape: ReadonlyArray<number | string>;
}

export interface RunResult {
  outputs: Record<string, TensorOutput>;
  /** Wall time of `session.run` alone, excluding queueing. */
  modelMs: number;
}

export interface RuntimeOptions {
  threads: number;
  wasmDir?: string;
  /** V8's --wasm-tiering-budget, applied once before the first WASM compile; 0 keeps V8's default. */
  wasmTieringBudget?: number;
}

let tieringSet = false;

/** V8 reads the flag when it compiles a module: it must be set before onnxruntime's first session. */
function setWasmTieringBudget(budget: number | undefined): void {
  if (tieringSet || !budget) return;
  tieringSet = true;
  v8.setFlagsFromString(`--wasm-tiering-budget=${budget}`);
}

const OUTPUT_TYPES = [Float32Array, BigInt64Array, Int32Array] as const;

/** The named float32 output of a run (or the first output when `name` is undefined). */
export function floatOutput(result: RunResult, name?: string): Float32Array {
  const output = name === undefined ? Object.values(result.outputs)[0] : result.outputs[name];
  if (!(output?.data instanceof Float32Array)) {
    throw new InternalError(`output ${name ?? "#0"} is missing or not float32`);
  }
  return output.data;
}

/** ONNX sessions on onnxruntime-web (WASM): one cached session per model version, runs queued. */
export class OnnxRuntime {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
  private readonly queue = new RunQueue();
  private runsStarted = 0;

  constructor(
    private readonly store: ModelStore,
    options: RuntimeOptions,
  ) {
    ort.env.wasm.wasmPaths = wasmPaths(options.wasmDir ?? resolveWasmDir());
    ort.env.wasm.numThreads = options.threads;
    ort.env.logLevel = "error";
    setWasmTieringBudget(options.wasmTieringBudget);
  }

  /** Runs waiting or running. */
  get queued(): number {
    return this.queue.pending;
  }

  /** Runs started so far (a twin test tells a stall caused by a model run from one caused by other work). */
  get started(): number {
    return this.runsStarted;
  }

  session(entry: ModelEntry): Promise<ort.InferenceSession> {
    const key = `${entry.id}@${entry.version}`;
    let pending = this.sessions.get(key);
    if (!pending) {
      pending = this.createSession(entry);
      pending.catch(() => this.sessions.delete(key));
      this.sessions.set(key, pending);
    }
    return pending;
  }

  /** The graph's declared input names (e.g. whether a text model takes token_type_ids). */
  async inputNames(entry: ModelEntry): Promise<readonly string[]> {
    return (await this.session(entry)).inputNames;
  }

  /** The graph's declared inputs with their types and (partly symbolic) shapes. */
  async inputMetadata(entry: ModelEntry): Promise<readonly InputMetadata[]> {
    const session = await this.session(entry);
    return session.inputMetadata.map((input) =>
      input.isTensor
        ? { name: input.name, type: input.type, shape: input.shape }
        : { name: input.name, type: "non-tensor", shape: [] },
    );
  }

  async run(entry: ModelEntry, feeds: Record<string, TensorInput>): Promise<RunResult> {
    const session = await this.session(entry);
    return this.queue.enqueue(async () => {
      this.runsStarted += 1;
      const tensors: Record<string, ort.Tensor> = {};
      for (const [name, input] of Object.entries(feeds)) {
        tensors[name] = new ort.Tensor(input.type, input.data, input.dims);
      }
      const started = performance.now();
      let results: ort.InferenceSession.OnnxValueMapType | undefined;
      try {
        results = await session.run(tensors);
        const modelMs = performance.now() - started;
        const outputs: Record<string, TensorOutput> = {};
        for (const [name, value] of Object.entries(results)) {
          const data = value.data;
          if (!OUTPUT_TYPES.some((type) => data instanceof type)) {
            throw new InternalError(`output ${name} of ${entry.id} has unsupported type ${value.type}`);
          }
          // CPU outputs are already copied out of the WASM heap into arrays of their own: no second copy.
          outputs[name] = { data: data as TensorOutput["data"], dims: value.dims };
        }
        return { outputs, modelMs };
      } finally {
        for (const tensor of Object.values(tensors)) tensor.dispose();
        for (const value of Object.values(results ?? {})) value.dispose();
      }
    });
  }

  private async createSession(entry: ModelEntry): Promise<ort.InferenceSession> {
    const bytes = await this.store.file(entry, graphOf(entry));
    return ort.InferenceSession.create(bytes, {
      executionProviders: ["wasm"],
      graphOptimizationLevel: "all",
      logSeverityLevel: 3,
    });
  }
}
