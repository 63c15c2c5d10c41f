import { readFileSync } from "node:fs";
import path from "node:path";
import { catalog, type ModelEntry } from "@marquee/core";
import { HfTokenizer } from "../../packages/core/src/text/hf-text.js";
import { memoryServices } from "./services.js";
import { modelMirror } from "./shared.js";

export const STORIES = "text-generation/stories260k";
export const KNIGHT = "Once upon a time, a brave knight";
/** llama2.c's greedy continuation of KNIGHT with stories260K (its README), 40 tokens. */
export const KNIGHT_GREEDY = "named Jack. Jack loved to play with his toys and run around the park.";

export const storiesEntry = catalog.find((entry) => entry.id === STORIES) as ModelEntry;

export function storiesTokenizer(): HfTokenizer {
  const read = (name: string) => JSON.parse(readFileSync(path.join(modelMirror, STORIES, name), "utf8"));
  return HfTokenizer.fromFiles(read("tokenizer.json"), read("tokenizer_config.json"));
}

export const storiesServices = () => memoryServices([STORIES]);

/** A generate request with every default filled in, as the schema would give it. */
export const request = (fields: Record<string, unknown>) =>
  ({
    max_tokens: 64,
    temperature: 1,
    top_k: 0,
    top_p: 1,
    repetition_penalty: 1,
    n: 1,
    stream: false,
    ...fields,
  }) as never;
