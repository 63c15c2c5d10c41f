import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { runTask } from "@marquee/core";
import { generateTask } from "@marquee/core/tasks/generate";
import { describe, expect, it } from "vitest";
import { KNIGHT, KNIGHT_GREEDY, request, storiesServices } from "../../../support/generation.js";
import { hasShared, repoRoot } from "../../../support/shared.js";

const run = promisify(execFile);

describe.skipIf(!hasShared)("generate on stories260k", async () => {
  const { services } = await storiesServices();
  const generate = (fields: Record<string, unknown>) => runTask(generateTask, request(fields), services);

  it("continues the knight prompt with llama2.c's greedy output", async () => {
    const result = await generate({ prompt: KNIGHT, max_tokens: 40, temperature: 0 });
    const [completion] = result.completions;
    expect(completion?.text.trim().startsWith(KNIGHT_GREEDY)).toBe(true);
    expect(completion).toMatchObject({ finish_reason: "length", tokens: 40 });
    expect(result.usage).toEqual({ prompt_tokens: 16, completion_tokens: 40 });
    expect(result.models).toEqual([{ id: "text-generation/stories260k", version: "1.0.0" }]);
    expect(result.modelMs).toBeGreaterThan(0);
  });

  it("gives the same completions for the same seed in another process, and others for another seed", async () => {
    const fields = { prompt: "Lily wanted a", max_tokens: 24, temperature: 0.9, top_k: 40, n: 3, seed: 1234 };
    const here = await generate(fields);
    const script = path.join(repoRoot, "test/support/generate-once.ts");
    const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
    const { stdout } = await run(tsx, [script, JSON.stringify(fields)], { cwd: repoRoot });
    const there = JSON.parse(stdout) as { completions: unknown[] };
    expect(there.completions).toEqual(here.completions);
    const texts = here.completions.map((completion) => completion.text);
    expect(new Set(texts).size).toBeGreaterThan(1);
    const other = await generate({ ...fields, seed: 4321 });
    expect(other.completions.map((completion) => completion.text)).not.toEqual(texts);
    const unseeded = await generate({ ...fields, seed: undefined });
    expect(Number.isInteger(unseeded.seed)).toBe(true);
    expect((await generate({ ...fields, seed: unseeded.seed })).completions).toEqual(unseeded.completions);
  }, 30_000);

  it("stops before a stop sequence spanning tokens and says so", async () => {
    const result = await generate({ prompt: KNIGHT, max_tokens: 40, temperature: 0, stop: ["toys and"] });
    expect(result.completions[0]).toMatchObject({
      text: " named Jack. Jack loved to play with his ",
      finish_reason: "stop",
    });
  });

  it("ends on the model's end-of-sequence token with finish_reason eos", async () => {
    const result = await generate({ prompt: "Once upon a time", max_tokens: 400, temperature: 0 });
    expect(result.completions[0]?.finish_reason).toBe("eos");
    expect(result.completions[0]?.tokens).toBeLessThan(400);
  });

  it("batches prompts × n into one run with the same greedy rows as separate requests", async () => {
    const prompts = [KNIGHT, "Tom and his dog", "The sun"];
    const together = await generate({ prompt: prompts, n: 2, max_tokens: 20, temperature: 0 });
    expect(together.completions.map((c) => [c.index, c.prompt_index])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1],
      [4, 2],
      [5, 2],
    ]);
    for (const [index, prompt] of prompts.entries()) {
      const alone = (await generate({ prompt, max_tokens: 20, temperature: 0 })).completions[0];
      expect(together.completions[index * 2]?.text).toBe(alone?.text);
      expect(together.completions[index * 2 + 1]?.text).toBe(alone?.text);
    }
  });

  it("refuses a prompt that with max_tokens exceeds the context, naming both numbers", async () => {
    const long = "The cat sat on the mat. ".repeat(60);
    await expect(generate({ prompt: long, max_tokens: 100 })).rejects.toThrow(
      /prompt is \d+ tokens and max_tokens is 100: \d+ is more than the model's context of 512 tokens/,
    );
  });

  it("renders a template into the prompt", async () => {
    const result = await generate({
      template: "character-bark",
      fields: { characters: "a grumpy blacksmith" },
      max_tokens: 12,
      temperature: 0,
    });
    expect(result.usage.prompt_tokens).toBeGreaterThan(10);
    expect(result.completions[0]?.text).not.toContain('"');
  });
});
