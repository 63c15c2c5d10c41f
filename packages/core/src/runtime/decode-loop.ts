import { InternalError, InvalidInputError } from "../errors.js";
import type { ModelEntry } from "../model-store/catalog-types.js";
import { int64From } from "../text/padding.js";
import type { OnnxRuntime, TensorInput } from "./onnx-runtime.js";

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

/** A cache input, the output that feeds it next step, and its [batch, heads, length, headDim] shape. */
interface CacheSlot {
  past: string;
  present: string;
  heads: number;
  headDim: number;
}

export interface DecoderLayout {
  slots: CacheSlot[];
  positionIds: boolean;
}

/** The KV-cache inputs of an Optimum / transformers.js decoder export, from the session's input metadata. */
export async function decoderLayout(runtime: OnnxRuntime, entry: ModelEntry): Promise<DecoderLayout> {
  const inputs = await runtime.inputMetadata(entry);
  const slots: CacheSlot[] = [];
  for (const input of inputs) {
    const match = PAST.exec(input.name);
    if (!match) continue;
    const [, layer, kind] = match;
    const heads = input.shape[1];
    const headDim = input.shape[3];
    if (typeof heads !== "number" || typeof headDim !== "number" || input.type !== "float32") {
      throw new InvalidInputError(
        `${entry.id}: ${input.name} must be float32 [batch, heads, past, head_dim]`,
      );
    }
    slots.push({ past: input.name, present: `present.${layer}.${kind}`, heads, headDim });
  }
  const names = new Set(inputs.map((input) => input.name));
  if (!names.has("input_ids") || !names.has("attention_mask") || slots.length === 0) {
    throw new InvalidInputError(
      `${entry.id} is not a decoder with input_ids, attention_mask and past_key_values`,
    );
  }
  return { slots, positionIds: names.has("position_ids") };
}

interface Row {
  /** Every position so far, padding included (the uncached decode re-reads them all). */
  tokens: number[];
  mask: number[];
  /** Padding sits at position 0; real tokens count from 0. */
  positions: number[];
}

/**
 * One KV-cache decode loop for decoder-only graphs: a left-padded prefill of every prompt in one run,
 * then one token per row per step, feeding each step's `present.*` back as the next `past_key_values.*`
 * (one copy out of the WASM heap and one back per step: the minimum onnxruntime-web's CPU path allows).
 * With `cache: false` every step re-runs the whole sequence with an empty past, for comparison only.
 */
export class KvCacheDecoder {
  private rows: Row[] = [];
  private cache = new Map<string, Float32Array>();
  private length = 0;
  /** Time inside session.run, and how many runs. */
  modelMs = 0;
  runs = 0;

  constructor(
    private readonly runtime: OnnxRuntime,
    private readonly entry: ModelEntry,
    private readonly layout: DecoderLayout,
    private readonly options: { padId: number; cache?: boolean },
  ) {}

  get batch(): number {
    return this.rows.length;
  }

  /** Positions held per row so far (padding included): the attention span of the next step. */
  get span(): number {
    return this.length;
  }

  /** Runs all prompts (left-padded to the longest) and returns each row's next-token logits. */
  async prefill(prompts: readonly (readonly number[])[]): Promise<Float32Array[]> {
    const width = Math.max(...prompts.map((prompt) => prompt.length));
    this.rows = prompts.map((prompt) => {
      const pad = new Array<number>(width - prompt.length).fill(0);
      return {
        tokens: [...pad.map(() => this.options.padId), ...prompt],
        mask: [...pad, ...prompt.map(() => 1)],
        positions: [...pad, ...prompt.map((_, index) => index)],
      };
    });
    this.length = 0;
    this.cache.clear();
    return this.forward(width);
  }

  /** Appends one token per row and returns each row's next-token logits. */
  async step(tokens: readonly number[]): Promise<Float32Array[]> {
    if (tokens.length !== this.rows.length) throw new InternalError("one token per row");
    this.rows.forEach((row, index) => {
      row.tokens.push(tokens[index] as number);
      row.mask.push(1);
      row.positions.push((row.positions.at(-1) ?? -1) + 1);
    });
    if (this.options.cache !== false) return this.forward(1);
    this.length = 0;
    this.cache.clear();
    return this.forward(this.rows[0]?.tokens.length ?? 0);
  }

  /** Keeps (and may repeat) rows in the given order: drops finished rows, or expands a prompt to n rows. */
  select(indices: readonly number[]): void {
    for (const slot of this.layout.slots) {
      const data = this.cache.get(slot.past);
      if (!data) continue;
      const size = slot.heads * this.length * slot.headDim;
      const out = new Float32Array(indices.length * size);
      indices.forEach((from, to) => {
        out.set(data.subarray(from * size, (from + 1) * size), to * size);
      });
      this.cache.set(slot.past, out);
    }
    this.rows = indices.map((index) => {
      const row = this.rows[index] as Row;
      return { tokens: [...row.tokens], mask: [...row.mask], positions: [...row.positions] };
    });
  }

  /** Runs the last `width` positions of every row on the cache held so far. */
  private async forward(width: number): Promise<Float32Array[]> {
    const batch = this.rows.length;
    const last = (values: number[]) => values.slice(values.length - width);
    const feeds: Record<string, TensorInput> = {
      input_ids: {
        type: "int64",
        data: int64From(this.rows.flatMap((row) => last(row.tokens))),
        dims: [batch, width],
      },
      attention_mask: {
        type: "int64",
        data: int64From(this.rows.flatMap((row) => row.mask)),
        dims: [batch, this.length + width],
      },
    };
    if (this.layout.positionIds) {
      const ids = int64From(this.rows.flatMap((row) => last(row.positions)));
      feeds.position_ids = { type: "int64", data: ids, dims: [batch, width] };
    }
    for (const slot of this.layout.slots) {
      const data = this.cache.get(slot.past) ?? new Float32Array(0);
      feeds[slot.past] = { type: "float32", data, dims: [batch, slot.heads, this.length, slot.headDim] };
    }
    const { outputs, modelMs } = await this.runtime.run(this.entry, feeds);
    this.modelMs += modelMs;
    this.runs += 1;
    for (const slot of this.layout.slots) {
      const present = outputs[slot.present]?.data;
      if (!(present instanceof Float32Array))
        throw new InternalError(`${this.entry.id} gave no ${slot.present}`);
      this.cache.set(slot.past, present);
    }
    this.length += width;
    const logits = outputs.logits;
    if (!(logits?.data instanceof Float32Array)) throw new InternalError(`${this.entry.id} gave no logits`);
    const vocab = logits.dims[2] as number;
    const steps = logits.dims[1] as number;
    return Array.from({ length: batch }, (_, row) => {
      const at = (row * steps + steps - 1) * vocab;
      return (logits.data as Float32Array).subarray(at, at + vocab);
    });
  }
}
