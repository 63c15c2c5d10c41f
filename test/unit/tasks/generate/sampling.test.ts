import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../../packages/core/src/tasks/generate/prng.js";
import { chooseToken, type SamplingOptions } from "../../../../packages/core/src/tasks/generate/sampling.js";

const greedy: SamplingOptions = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
const logits = Float32Array.from([1, 3, 2.5, -1, 0.5]);
const none = new Uint8Array(logits.length);

function frequencies(options: SamplingOptions, draws: number, seed = 1): number[] {
  const random = seededRandom(seed, 0);
  const counts = new Float64Array(logits.length);
  for (let i = 0; i < draws; i += 1) {
    const id = chooseToken(logits, none, options, random);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count / draws);
}

describe("seededRandom", () => {
  it("repeats for the same seed and stream, differs across seeds and streams, is uniform on [0,1)", () => {
    const take = (seed: number, stream: number) => Array.from({ length: 5 }, seededRandom(seed, stream));
    expect(take(42, 0)).toEqual(take(42, 0));
    expect(take(42, 0)).not.toEqual(take(43, 0));
    expect(take(42, 0)).not.toEqual(take(42, 1));
    const random = seededRandom(7, 0);
    const values = Array.from({ length: 100_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
  });
});

describe("chooseToken", () => {
  it("is argmax at temperature 0 and leaves the logits untouched", () => {
    expect(chooseToken(logits, none, greedy, () => 0.99)).toBe(1);
    expect(Array.from(logits)).toEqual([1, 3, 2.5, -1, 0.5]);
  });

  it("samples in proportion to softmax(logits / temperature)", () => {
    const temperature = 0.7;
    const exps = Array.from(logits, (value) => Math.exp(value / temperature));
    const total = exps.reduce((sum, value) => sum + value, 0);
    const observed = frequencies({ ...greedy, temperature }, 50_000);
    exps.forEach((value, id) => {
      expect(Math.abs((observed[id] as number) - value / total)).toBeLessThan(0.01);
    });
  });

  it("top_k keeps the k most likely tokens; top_k 1 is greedy", () => {
    const observed = frequencies({ ...greedy, temperature: 1, topK: 2 }, 20_000);
    expect(observed[0]).toBe(0);
    expect(observed[3]).toBe(0);
    expect(observed[4]).toBe(0);
    const ratio = (observed[1] as number) / (observed[2] as number);
    expect(ratio).toBeGreaterThan(Math.exp(0.5) * 0.9);
    expect(ratio).toBeLessThan(Math.exp(0.5) * 1.1);
    expect(frequencies({ ...greedy, temperature: 1, topK: 1 }, 1000)[1]).toBe(1);
  });

  it("top_p keeps the smallest set reaching p", () => {
    // softmax: [0.073, 0.543, 0.329, 0.010, 0.045]: p = 0.6 needs tokens 1 and 2, p = 0.5 token 1 alone.
    const two = frequencies({ ...greedy, temperature: 1, topP: 0.6 }, 20_000);
    expect((two[1] as number) + (two[2] as number)).toBe(1);
    expect(frequencies({ ...greedy, temperature: 1, topP: 0.5 }, 1000)[1]).toBe(1);
  });

  it("repetition penalty divides positive and multiplies negative logits of seen tokens", () => {
    const seen = Uint8Array.from([0, 1, 0, 0, 0]);
    // token 1: 3 / 1.3 = 2.31 < 2.5: token 2 wins greedily.
    expect(chooseToken(logits, seen, { ...greedy, repetitionPenalty: 1.3 }, () => 0)).toBe(2);
    const negative = Float32Array.from([-1, -2]);
    expect(chooseToken(negative, Uint8Array.from([1, 0]), { ...greedy, repetitionPenalty: 3 }, () => 0)).toBe(
      1,
    );
  });
});
