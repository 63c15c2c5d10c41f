/**
 * generate: text continuations from a decoder model (plot beats, loglines, quest text), with sampling
 * controls, stop sequences and, through `context.stream`, each step's new text as it is generated.
 *
 * Input: `{ prompt: "Once upon a time," | [..], max_tokens?, temperature?, top_k?, top_p?,
 * repetition_penalty?, n?, stop?, seed?, stream?, model? }` or `{ template: "logline", fields: {…} }`.
 * Model: `text-generation/stories260k` (default; TinyStories only) or any Llama-family Hugging Face
 * export registered with `models:add --format hf-causal-lm`.
 *
 * Output example:
 * { "completions": [{ "index": 0, "prompt_index": 0, "text": " named Jack.", "finish_reason": "stop",
 *   "tokens": 4 }], "usage": { "prompt_tokens": 16, "completion_tokens": 4 }, "seed": 7,
 *   "models": [{ "id": "text-generation/stories260k", "version": "1.0.0" }], "timings": { … } }
 */
import { randomInt } from "node:crypto";
import { bounded, modelId, modelRef, requestBody, timingsShape, z } from "../../schema.js";
import { chooseModel } from "../model-choice.js";
import { Timings } from "../timings.js";
import { defineTask, resultEnvelope, type TaskContext, type TaskResult } from "../types.js";
import { generate } from "./generate.js";
import { generatorFor } from "./model.js";
import { renderTemplate } from "./templates.js";

export const DEFAULT_GENERATION_MODEL = "text-generation/stories260k";
/** Completions per request (prompts × n): one padded batch. */
export const MAX_ROWS = 16;

const text = (max: number) =>
  z.string({ error: "must be a string" }).max(max, { error: `must be at most ${max} characters` });

const body = requestBody({
  prompt: z
    .union([text(20_000), z.array(text(20_000)).min(1).max(8)], {
      error: "must be a string or an array of 1 to 8 strings",
    })
    .optional()
    .describe("The text to continue, or up to 8 prompts generated together"),
  template: z
    .string()
    .max(100)
    .optional()
    .describe("A preset from GET /v1/generate/templates instead of a prompt"),
  fields: z.record(z.string().max(40), text(2_000)).optional().describe("The template's fields"),
  max_tokens: bounded(1, 2048, { integer: true })
    .default(64)
    .describe("Tokens to generate at most per completion"),
  temperature: bounded(0, 2).default(1).describe("0 = greedy (deterministic)"),
  top_k: bounded(0, 1000, { integer: true })
    .default(0)
    .describe("Sample from the k most likely tokens; 0 = off"),
  top_p: bounded(0.01, 1).default(1).describe("Nucleus sampling; 1 = off"),
  repetition_penalty: bounded(0.5, 2)
    .default(1)
    .describe("> 1 discourages repeating prompt or completion tokens"),
  n: bounded(1, 8, { integer: true }).default(1).describe("Completions per prompt"),
  stop: z
    .union([text(100).min(1), z.array(text(100).min(1)).max(4)], {
      error: "must be a non-empty string or an array of up to 4",
    })
    .optional()
    .describe("Generation stops before any of these; the stop text is not returned"),
  seed: bounded(0, 4_294_967_295, { integer: true })
    .optional()
    .describe("Same seed, same request → same completions"),
  stream: z
    .boolean({ error: "must be true or false" })
    .default(false)
    .describe("Server-sent events (streaming URL)"),
  model: modelId.optional(),
})
  .refine((value) => (value.prompt === undefined) !== (value.template === undefined), {
    error: "give either prompt or template",
  })
  .refine((value) => value.template !== undefined || value.fields === undefined, {
    error: "fields go with a template",
  })
  .refine((value) => (Array.isArray(value.prompt) ? value.prompt.length : 1) * value.n <= MAX_ROWS, {
    error: `prompts × n must be at most ${MAX_ROWS}`,
  })
  .meta({ id: "GenerateRequest" });

const result = z
  .object({
    completions: z.array(
      z.object({
        index: z.int(),
        prompt_index: z.int(),
        text: z.string(),
        finish_reason: z.enum(["stop", "length", "eos"]),
        tokens: z.int().describe("Tokens generated (the end-of-sequence token not counted)"),
      }),
    ),
    usage: z.object({ prompt_tokens: z.int(), completion_tokens: z.int() }),
    seed: z.int().describe("The seed used (random when the request gave none): send it back to repeat"),
    models: z.array(modelRef),
    timings: timingsShape,
  })
  .meta({ id: "GenerateResponse" });

export type GenerateRequest = z.output<typeof body>;
export type GenerateResult = z.output<typeof result> & TaskResult;

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

async function run(input: GenerateRequest, context: TaskContext): Promise<GenerateResult> {
  const entry = await chooseModel(DEFAULT_GENERATION_MODEL, input.model, context.models);
  const generator = await generatorFor(entry, context.models);
  const preset =
    input.template === undefined ? undefined : renderTemplate(input.template, input.fields ?? {});
  const seed = input.seed ?? randomInt(0, 2 ** 32 - 1);
  const stream = context.stream;
  const { completions, promptTokens } = await generate(
    generator,
    entry,
    {
      prompts: preset ? [preset.rendered] : list(input.prompt),
      n: input.n,
      maxTokens: input.max_tokens,
      sampling: {
        temperature: input.temperature,
        topK: input.top_k,
        topP: input.top_p,
        repetitionPenalty: input.repetition_penalty,
      },
      stop: [...list(input.stop), ...(preset?.stop ?? [])],
      seed,
    },
    context,
    stream && {
      tokens: (pieces) => stream.emit("tokens", { completions: pieces }),
      signal: stream.signal,
    },
  );
  return {
    completions,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completions.reduce((sum, completion) => sum + completion.tokens, 0),
    },
    seed,
    ...resultEnvelope(context, [entry]),
  };
}

export const generateTask = defineTask({
  id: "generate",
  description: "Text continuations from a decoder model, with sampling controls and token streaming.",
  input: "json",
  body,
  result,
  defaultModels: { main: DEFAULT_GENERATION_MODEL },
  example: {
    request: { prompt: "Once upon a time, a brave knight", max_tokens: 40, temperature: 0 },
    response: {
      completions: [
        {
          index: 0,
          prompt_index: 0,
          text: " named Jack. Jack loved to play with his toys and run around the park. One day, Jack saw a",
          finish_reason: "length",
          tokens: 40,
        },
      ],
      usage: { prompt_tokens: 16, completion_tokens: 40 },
      seed: 7,
      models: [{ id: DEFAULT_GENERATION_MODEL, version: "1.0.0" }],
      timings: { decode: 0, preprocess: 0.2, inference: 80, postprocess: 3 },
    },
  },
  run,
  warm: async (context) => {
    await run(
      {
        prompt: "Once upon a time",
        max_tokens: 4,
        temperature: 0,
        top_k: 0,
        top_p: 1,
        repetition_penalty: 1,
        n: 1,
        stream: false,
      },
      { ...context, timings: new Timings() },
    );
  },
});
