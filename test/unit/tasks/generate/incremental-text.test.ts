import { describe, expect, it } from "vitest";
import { IncrementalText } from "../../../../packages/core/src/tasks/generate/incremental-text.js";
import { storiesTokenizer } from "../../../support/generation.js";
import { hasShared } from "../../../support/shared.js";

describe.skipIf(!hasShared)("IncrementalText with the stories260k tokenizer (byte fallback)", () => {
  const tokenizer = storiesTokenizer();

  it.each([
    "Once upon a time, a brave knight named Jack.",
    "Café crème — naïve “quotes” and emoji 😀 日本",
    "  two  spaces and\nnew lines\n",
  ])("piece by piece equals decoding the whole: %j", (sentence) => {
    const prompt = tokenizer.encode("Story:").ids;
    const completion = tokenizer.encode(sentence).ids.slice(1);
    const text = new IncrementalText((ids) => tokenizer.decode(ids), prompt.at(-1) as number);
    let streamed = "";
    for (const id of completion) {
      const piece = text.push(id);
      expect(piece).not.toContain("\uFFFD");
      streamed += piece;
    }
    streamed += text.flush();
    const whole = tokenizer.decode([...prompt, ...completion]).slice(tokenizer.decode(prompt).length);
    expect(streamed).toBe(whole);
    expect(text.text).toBe(whole);
  });

  it("holds an incomplete UTF-8 sequence until its last byte", () => {
    const ids = tokenizer.encode("😀").ids.slice(1);
    expect(ids.length).toBeGreaterThan(2);
    const text = new IncrementalText((sequence) => tokenizer.decode(sequence), 1);
    const pieces = ids.map((id) => text.push(id));
    expect(pieces.slice(0, -1).every((piece) => piece === "")).toBe(true);
    expect(pieces.at(-1)?.trim()).toBe("😀");
  });
});
