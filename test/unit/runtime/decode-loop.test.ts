import { describe, expect, it } from "vitest";
import { decoderLayout, KvCacheDecoder } from "../../../packages/core/src/runtime/decode-loop.js";
import { KNIGHT, storiesEntry, storiesServices, storiesTokenizer } from "../../support/generation.js";
import { hasShared } from "../../support/shared.js";

const argmax = (logits: Float32Array) => logits.indexOf(Math.max(...logits));
const maxDiff = (a: Float32Array, b: Float32Array) =>
  Math.max(...a.map((value, i) => Math.abs(value - (b[i] as number))));

describe.skipIf(!hasShared)("KvCacheDecoder on stories260k", async () => {
  const { services } = await storiesServices();
  const runtime = services.runtime;
  const tokenizer = storiesTokenizer();
  const layout = await decoderLayout(runtime, storiesEntry);

  it("reads the cache layout from the session's input metadata", () => {
    expect(layout.positionIds).toBe(true);
    expect(layout.slots).toHaveLength(10);
    expect(layout.slots[0]).toEqual({
      past: "past_key_values.0.key",
      present: "present.0.key",
      heads: 4,
      headDim: 8,
    });
  });

  it("gives the same logits with and without the cache, step by step", async () => {
    const prompt = tokenizer.encode(KNIGHT).ids;
    const cached = new KvCacheDecoder(runtime, storiesEntry, layout, { padId: 0 });
    const uncached = new KvCacheDecoder(runtime, storiesEntry, layout, { padId: 0, cache: false });
    let a = (await cached.prefill([prompt]))[0] as Float32Array;
    let b = (await uncached.prefill([prompt]))[0] as Float32Array;
    for (let step = 0; step < 20; step += 1) {
      expect(maxDiff(a, b)).toBeLessThan(1e-4);
      const token = argmax(a);
      a = (await cached.step([token]))[0] as Float32Array;
      b = (await uncached.step([token]))[0] as Float32Array;
    }
    expect(cached.span).toBe(prompt.length + 20);
  });

  it("gives each row of a left-padded batch the logits it gets alone, and keeps them when rows are dropped or repeated", async () => {
    const prompts = [tokenizer.encode(KNIGHT).ids, tokenizer.encode("Lily").ids];
    const alone = [];
    for (const prompt of prompts) {
      const decoder = new KvCacheDecoder(runtime, storiesEntry, layout, { padId: 0 });
      const first = (await decoder.prefill([prompt]))[0] as Float32Array;
      const next = (await decoder.step([argmax(first)]))[0] as Float32Array;
      alone.push({ first, next });
    }
    const batch = new KvCacheDecoder(runtime, storiesEntry, layout, { padId: 0 });
    const firsts = await batch.prefill(prompts);
    for (const [row, logits] of firsts.entries()) {
      expect(maxDiff(logits, alone[row]?.first as Float32Array)).toBeLessThan(1e-4);
    }
    batch.select([1, 1, 0]);
    const nexts = await batch.step([
      argmax(firsts[1] as Float32Array),
      argmax(firsts[1] as Float32Array),
      argmax(firsts[0] as Float32Array),
    ]);
    expect(maxDiff(nexts[0] as Float32Array, alone[1]?.next as Float32Array)).toBeLessThan(1e-4);
    expect(maxDiff(nexts[1] as Float32Array, alone[1]?.next as Float32Array)).toBeLessThan(1e-4);
    expect(maxDiff(nexts[2] as Float32Array, alone[0]?.next as Float32Array)).toBeLessThan(1e-4);
  });
});
