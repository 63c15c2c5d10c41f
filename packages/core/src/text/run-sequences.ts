import type { ModelEntry } from "../model-store/catalog-types.js";
import type { RunResult, TensorInput } from "../runtime/onnx-runtime.js";
import type { TaskContext } from "../tasks/types.js";
import { lengthSortedBatches, padBatch } from "./padding.js";

export interface SequenceBatch {
  result: RunResult;
  dims: [number, number];
  mask: BigInt64Array;
}

export interface SequenceOptions {
  padId: number;
  /** At most this many sequences per session.run. */
  maxBatch: number;
  /** At most this many padded positions per session.run (bounds the work padding wastes). */
  maxTokens?: number;
  /** Reads one row per sequence of a batch from its outputs. */
  rows(batch: SequenceBatch): Float32Array[];
}

/**
 * Token-id sequences through a text model as padded batches of similar length (sorted, bounded), with
 * only the inputs the graph declares; returns one output row per sequence, in input order.
 */
export async function runSequences(
  context: TaskContext,
  entry: ModelEntry,
  sequences: number[][],
  options: SequenceOptions,
): Promise<Float32Array[]> {
  const { runtime, timings } = context;
  const declared = new Set(await runtime.inputNames(entry));
  const out: Float32Array[] = new Array(sequences.length);
  const batches = lengthSortedBatches(sequences, (ids) => ids.length, options.maxBatch, options.maxTokens);
  for (const { indices } of batches) {
    const padded = await timings.measure("preprocess", () =>
      padBatch(
        indices.map((index) => sequences[index] ?? []),
        options.padId,
      ),
    );
    const tensors: Record<string, BigInt64Array> = {
      input_ids: padded.ids,
      attention_mask: padded.mask,
      token_type_ids: padded.typeIds,
    };
    const feeds: Record<string, TensorInput> = {};
    for (const [name, data] of Object.entries(tensors)) {
      if (declared.has(name)) feeds[name] = { type: "int64", data, dims: padded.dims };
    }
    const result = await timings.measure("inference", () => runtime.run(entry, feeds));
    timings.modelMs += result.modelMs;
    const rows = await timings.measure("postprocess", () =>
      options.rows({ result, dims: padded.dims, mask: padded.mask }),
    );
    indices.forEach((index, position) => {
      out[index] = rows[position] as Float32Array;
    });
  }
  return out;
}
