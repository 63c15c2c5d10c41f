import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { HfTokenizer } from "../../../packages/core/src/text/hf-text.js";
import { padBatch } from "../../../packages/core/src/text/padding.js";
import {
  hasNormalize,
  l2Normalise,
  meanPool,
  readPoolingConfig,
  softmax,
} from "../../../packages/core/src/text/pool.js";
import { fixtureDir } from "../../support/shared.js";

const json = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, name), "utf8"));

interface Reference {
  inputs: string[];
  tokenization: { input_ids: number[][]; attention_mask: number[][] };
  expected: Record<string, unknown>;
}

async function session(dir: string) {
  ort.env.wasm.numThreads = 1;
  return ort.InferenceSession.create(readFileSync(path.join(dir, "onnx/model.onnx")), {
    executionProviders: ["wasm"],
  });
}

/** The reference's padded ids, unpadded by its attention mask. */
const unpadded = (reference: Reference) =>
  reference.tokenization.input_ids.map((ids, row) =>
    ids.filter((_, column) => reference.tokenization.attention_mask[row]?.[column] === 1),
  );

async function run(dir: string, sequences: number[][]) {
  const model = await session(dir);
  const padded = padBatch(sequences, 0);
  const all = { input_ids: padded.ids, attention_mask: padded.mask, token_type_ids: padded.typeIds };
  const feeds = Object.fromEntries(
    model.inputNames.map((name) => [
      name,
      new ort.Tensor("int64", all[name as keyof typeof all], padded.dims),
    ]),
  );
  const out = await model.run(feeds);
  return { out, padded };
}

const bert = fixtureDir("bert-tiny-random-sst2");
const minilm = fixtureDir("minilm-tiny-random");

describe.skipIf(!existsSync(bert))(
  "a BERT text classifier in Hugging Face layout (bert-tiny-random-sst2)",
  () => {
    const reference = json(bert, "reference.json") as Reference & {
      expected: {
        logits_batched: number[][];
        pipeline_all_labels: Array<Array<{ label: string; score: number }>>;
      };
    };
    const tokenizer = HfTokenizer.fromFiles(
      json(bert, "tokenizer.json"),
      json(bert, "tokenizer_config.json"),
    );

    it("tokenises every reference input to the same ids", () => {
      expect(reference.inputs.map((text) => tokenizer.encode(text).ids)).toEqual(unpadded(reference));
    });

    it("reproduces the reference logits and label scores within 1e-5", async () => {
      const { out } = await run(
        bert,
        reference.inputs.map((text) => tokenizer.encode(text).ids),
      );
      const logits = out.logits?.data as Float32Array;
      reference.expected.logits_batched.forEach((row, i) => {
        for (const [j, value] of row.entries())
          expect(Math.abs((logits[i * 2 + j] as number) - value)).toBeLessThan(1e-5);
        const scores = softmax(logits.subarray(i * 2, i * 2 + 2));
        const labels = json(bert, "config.json").id2label as Record<string, string>;
        for (const { label, score } of reference.expected.pipeline_all_labels[i] ?? []) {
          const index = Number(Object.keys(labels).find((key) => labels[key] === label));
          expect(Math.abs((scores[index] as number) - score)).toBeLessThan(1e-5);
        }
      });
    });

    it("splits a long text into windows of at most 512 ids, each with [CLS] and [SEP], overlapping by the stride", () => {
      const text = Array.from({ length: 2000 }, (_, i) => `word${i % 50} film`).join(" ");
      const content = tokenizer.windows(text, 100_000, 0)[0]?.slice(1, -1) ?? [];
      const windows = tokenizer.windows(text, 512, 128);
      expect(windows.length).toBeGreaterThan(1);
      const [cls, sep] = [
        content.length > 0 ? tokenizer.encode("").ids[0] : 0,
        tokenizer.encode("").ids.at(-1),
      ];
      let covered = 0;
      windows.forEach((window, index) => {
        expect(window.length).toBeLessThanOrEqual(512);
        expect(window[0]).toBe(cls);
        expect(window.at(-1)).toBe(sep);
        const start = index * (510 - 128);
        expect(window.slice(1, -1)).toEqual(content.slice(start, start + 510));
        covered = start + window.length - 2;
      });
      expect(covered).toBe(content.length);
      expect(tokenizer.windows("a short review", 512, 128)).toEqual([tokenizer.encode("a short review").ids]);
    });
  },
);

describe.skipIf(!existsSync(minilm))("a sentence-transformers export (minilm-tiny-random)", () => {
  const reference = json(minilm, "reference.json") as Reference & {
    expected: { dims: number[]; first8: number[][] };
  };
  const tokenizer = HfTokenizer.fromFiles(
    json(minilm, "tokenizer.json"),
    json(minilm, "tokenizer_config.json"),
  );

  it("tokenises like the reference and reproduces its pooled, normalised embeddings within 1e-5", async () => {
    const sequences = reference.inputs.map((text) => tokenizer.encode(text).ids);
    expect(sequences).toEqual(unpadded(reference));
    expect(readPoolingConfig(json(minilm, "1_Pooling/config.json")).mode).toBe("mean");
    expect(hasNormalize(json(minilm, "modules.json"))).toBe(true);
    const { out, padded } = await run(minilm, sequences);
    const hidden = out.last_hidden_state;
    const vectors = meanPool(
      hidden?.data as Float32Array,
      hidden?.dims as [number, number, number],
      padded.mask,
    ).map(l2Normalise);
    expect([vectors.length, vectors[0]?.length]).toEqual(reference.expected.dims);
    reference.expected.first8.forEach((row, i) => {
      for (const [j, value] of row.entries())
        expect(Math.abs((vectors[i]?.[j] as number) - value)).toBeLessThan(1e-5);
    });
  });
});
