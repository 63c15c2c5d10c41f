/** A `sentiment` job's parameters, each with its default; anything else fails the job as bad_params. */
import { z } from "../../schema.js";
import { DEFAULT_FEATURES } from "../sentiment/features.js";
import { LOGISTIC_DEFAULTS } from "../sentiment/logistic.js";

const powerOfTwo = (value: number) => value >= 2 ** 10 && value <= 2 ** 24 && (value & (value - 1)) === 0;

export const sentimentParams = z
  .object({
    test_fraction: z.number().min(0.05).max(0.5).default(0.2),
    seed: z.number().int().min(0).default(42),
    epochs: z.number().int().min(1).max(50).default(LOGISTIC_DEFAULTS.epochs),
    learning_rate: z.number().gt(0).max(5).default(LOGISTIC_DEFAULTS.learningRate),
    l2: z.number().min(0).max(1).default(LOGISTIC_DEFAULTS.l2),
    buckets: z
      .number()
      .int()
      .refine(powerOfTwo, "buckets must be a power of two from 1024 to 16777216")
      .default(DEFAULT_FEATURES.buckets),
    ngrams: z.union([z.literal(1), z.literal(2)]).default(DEFAULT_FEATURES.ngrams),
    /** Stack on the pretrained fastText polarity model's score (positive/negative labels only). */
    stack: z.boolean().default(true),
    /** Weigh each source file's examples to the same total, so a big file does not drown a small one. */
    balance: z.boolean().default(true),
  })
  .strict();

export type SentimentParams = z.output<typeof sentimentParams>;
