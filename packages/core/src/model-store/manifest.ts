/** The manifest of a model in the models bucket: registered (`models:add`) or trained (with `training`). */
import { z } from "../schema.js";

export const MODEL_ID = /^[a-z0-9][a-z0-9-]*\/[A-Za-z0-9][\w.-]{0,120}$/;

const tensor = z.object({
  name: z.string(),
  type: z.enum(["float32", "int64"]),
  shape: z.array(z.union([z.number(), z.string()])),
  description: z.string(),
});

export const manifestSchema = z.object({
  id: z.string().regex(MODEL_ID),
  task: z.string(),
  format: z.enum([
    "fasttext",
    "glove",
    "hf-text-classification",
    "hf-feature-extraction",
    "hf-causal-lm",
    "hf-image-classification",
    "marquee-recommender",
    "hashed-linear",
  ]),
  version: z.string().min(1).max(64),
  description: z.string(),
  licence: z.string(),
  source: z.string(),
  files: z
    .array(
      z.object({
        name: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        bytes: z.number(),
        url: z.string().optional(),
      }),
    )
    .min(1),
  graph: z.string().optional(),
  inputs: z.array(tensor).default([]),
  outputs: z.array(tensor).default([]),
  preprocess: z.record(z.string(), z.unknown()).default({}),
  postprocess: z.record(z.string(), z.unknown()).default({}),
  labels: z.array(z.string()).default([]),
});
