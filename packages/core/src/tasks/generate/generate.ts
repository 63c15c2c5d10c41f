import { InvalidInputError, RequestAbortedError } from "../../errors.js";
import type { ModelEntry } from "../../model-store/catalog-types.js";
import { decoderLayout, KvCacheDecoder } from "../../runtime/decode-loop.js";
import type { TaskContext } from "../types.js";
import { IncrementalText } from "./incremental-text.js";
import type { Generator } from "./model.js";
import { seededRandom } from "./prng.js";
import { chooseToken, type SamplingOptions } from "./sampling.js";
import { StopMatcher } from "./stops.js";

export type FinishReason = "stop" | "length" | "eos";

export interface GenerationRequest {
  prompts: readonly string[];
  n: number;
  maxTokens: number;
  sampling: SamplingOptions;
  stop: readonly string[];
  seed: number;
  /** false re-runs the whole sequence every step (benchmarks only). */
  cache?: boolean;
}

export interface Completion {
  index: number;
  prompt_index: number;
  text: string;
  finish_reason: FinishReason;
  tokens: number;
}

/** Text as it is generated: one call per decode step with every completion's new text. */
export interface GenerationSink {
  tokens(pieces: ReadonlyArray<{ index: number; text: string }>): void;
  /** Aborted when the client has gone: generation stops at the next step. */
  signal?: AbortSignal;
}

interface RowState {
  completion: Completion;
  text: IncrementalText;
  sent: number;
  seen: Uint8Array;
  random: () => number;
}

/**
 * Generates `n` completions per prompt as one padded batch: one prefill run for the prompts, their cache
 * repeated n times, then one token per unfinished row per step (finished rows leave the batch).
 */
export async function generate(
  generator: Generator,
  entry: ModelEntry,
  request: GenerationRequest,
  context: TaskContext,
  sink?: GenerationSink,
): Promise<{ completions: Completion[]; promptTokens: number }> {
  const { timings } = context;
  const prompts = await timings.measure("preprocess", () => request.prompts.map(generator.promptIds));
  prompts.forEach((ids, index) => {
    if (ids.length + request.maxTokens > generator.contextLength) {
      const which = request.prompts.length > 1 ? `prompt[${index}]` : "prompt";
      throw new InvalidInputError(
        `${which} is ${ids.length} tokens and max_tokens is ${request.maxTokens}: ${ids.length + request.maxTokens} is more than the model's context of ${generator.contextLength} tokens`,
      );
    }
  });
  const layout = await decoderLayout(context.runtime, entry);
  const decoder = new KvCacheDecoder(context.runtime, entry, layout, {
    padId: generator.padId,
    cache: request.cache,
  });
  const stops = new StopMatcher(request.stop);
  const decode = (ids: number[]) => generator.tokenizer.decode(ids);
  const prefilled = await timings.measure("inference", () => decoder.prefill(prompts));
  const vocab = prefilled[0]?.length ?? 0;
  const rows: RowState[] = prompts.flatMap((ids, promptIndex) =>
    Array.from({ length: request.n }, (_, copy) => {
      const index = promptIndex * request.n + copy;
      const seen = new Uint8Array(vocab);
      for (const id of ids) seen[id] = 1;
      return {
        completion: {
          index,
          prompt_index: promptIndex,
          text: "",
          finish_reason: "length" as FinishReason,
          tokens: 0,
        },
        text: new IncrementalText(decode, ids.at(-1) as number),
        sent: 0,
        seen,
        random: seededRandom(request.seed, index),
      };
    }),
  );
  decoder.select(rows.map((row) => row.completion.prompt_index));
  let logits = rows.map((row) => prefilled[row.completion.prompt_index] as Float32Array);
  let active = rows;
  while (active.length > 0) {
    if (sink?.signal?.aborted) throw new RequestAbortedError("The client disconnected");
    const { next, pieces } = await timings.measure("postprocess", () =>
      advance(active, logits, request, generator, stops),
    );
    if (sink) {
      if (pieces.length > 0) sink.tokens(pieces);
      // onnxruntime-web's WASM runs resolve without reaching the event loop: without this turn, the
      // socket would see nothing (and no disconnect would be noticed) until the last token.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (next.length === 0) break;
    const keep = next.map((row) => active.indexOf(row.state));
    if (next.length < active.length) decoder.select(keep);
    const tokens = next.map((row) => row.lastToken);
    active = next.map((row) => row.state);
    logits = await timings.measure("inference", () => decoder.step(tokens));
  }
  timings.modelMs += decoder.modelMs;
  return {
    completions: rows.map((row) => row.completion),
    promptTokens: prompts.reduce((sum, ids) => sum + ids.length, 0),
  };
}

/** Samples one token per active row; returns the rows still going and the text each can send now. */
function advance(
  active: RowState[],
  logits: Float32Array[],
  request: GenerationRequest,
  generator: Generator,
  stops: StopMatcher,
) {
  const next: Array<{ state: RowState; lastToken: number }> = [];
  const pieces: Array<{ index: number; text: string }> = [];
  active.forEach((row, position) => {
    const { completion } = row;
    const token = chooseToken(logits[position] as Float32Array, row.seen, request.sampling, row.random);
    let finished = false;
    if (generator.eos.has(token)) {
      completion.finish_reason = "eos";
      row.text.flush();
      finished = true;
    } else {
      completion.tokens += 1;
      row.seen[token] = 1;
      const checked = row.text.text.length;
      row.text.push(token);
      if (completion.tokens >= request.maxTokens) {
        row.text.flush();
        finished = true;
      }
      const at = stops.find(row.text.text, checked);
      if (at !== undefined) {
        row.text.text = row.text.text.slice(0, at);
        completion.finish_reason = "stop";
        finished = true;
      }
    }
    completion.text = row.text.text;
    const sendable = finished ? completion.text.length : stops.safeLength(completion.text);
    if (sendable > row.sent) {
      pieces.push({ index: completion.index, text: completion.text.slice(row.sent, sendable) });
      row.sent = sendable;
    }
    if (!finished) next.push({ state: row, lastToken: token });
  });
  return { next, pieces };
}
