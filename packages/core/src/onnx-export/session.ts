/**
 * Loads exported bytes in onnxruntime-web as the serving runtime does (WASM, the project's .wasm pair,
 * full graph optimisation), so an exporter can check its graph against its own TypeScript model before the
 * bytes are stored. Serving itself goes through runtime/onnx-runtime.ts.
 */
import * as ort from "onnxruntime-web";
import { resolveWasmDir, wasmPaths } from "../runtime/wasm-location.js";

export type Feed =
  | { type: "float32"; data: Float32Array; dims: readonly number[] }
  | {
      type: "int64";
      data: BigInt64Array;
      dims: readonly number[];
    };

export interface ExportedSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(
    feeds: Record<string, Feed>,
  ): Promise<Record<string, { data: ort.Tensor["data"]; dims: readonly number[] }>>;
  release(): Promise<void>;
}

let configured = false;

/** `threads` applies only before the first session of the process (onnxruntime-web's rule). */
export async function exportedSession(bytes: Uint8Array, threads = 1): Promise<ExportedSession> {
  if (!configured) {
    ort.env.wasm.wasmPaths = wasmPaths(resolveWasmDir());
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = "error";
    configured = true;
  }
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
    logSeverityLevel: 3,
  });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const tensors: Record<string, ort.Tensor> = {};
      for (const [name, feed] of Object.entries(feeds)) {
        tensors[name] = new ort.Tensor(feed.type, feed.data, feed.dims);
      }
      try {
        const results = await session.run(tensors);
        const out: Record<string, { data: ort.Tensor["data"]; dims: readonly number[] }> = {};
        for (const [name, value] of Object.entries(results)) {
          out[name] = { data: value.data, dims: value.dims };
          value.dispose();
        }
        return out;
      } finally {
        for (const tensor of Object.values(tensors)) tensor.dispose();
      }
    },
    release: () => session.release(),
  };
}
