import { describe, expect, it } from "vitest";
import { GloveTokenizer } from "../../../../packages/core/src/tasks/embeddings/glove-tokenizer.js";

const tokenizer = GloveTokenizer.fromJson({
  pad: 0,
  unk: 1,
  offset: 2,
  lowercase: true,
  words: ["do", "n't", "film", "'s", "e-mail", "3.5"],
});

describe("GloVe tokens", () => {
  it.each([
    ["Don't stop", ["do", "n't", "stop"]],
    ["It's 3.5 out of 10", ["it", "'s", "3.5", "out", "of", "10"]],
    ["e-mail me!", ["e-mail", "me", "!"]],
    ["naïve café", ["na", "ï", "ve", "caf", "é"]],
    ["", []],
  ])("splits %j", (text, tokens) => {
    expect(tokenizer.tokens(text)).toEqual(tokens);
  });

  it("maps known words past the offset and unknown ones to unk", () => {
    expect(tokenizer.ids("Don't FILM it's xyz")).toEqual([2, 3, 4, 1, 5, 1]);
    expect(tokenizer.ids("")).toEqual([]);
  });
});
