import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bigramBucket,
  FastTextTokenizer,
  type FastTextVocab,
  fastTextHash,
} from "../../../../packages/core/src/tasks/sentiment/fasttext.js";
import { modelMirror } from "../../../support/shared.js";

/** fastText's hash the plain way: BigInt FNV-1a over UTF-8 bytes, each sign-extended as int8. */
function referenceHash(token: string): number {
  let h = 2166136261n;
  for (const byte of new TextEncoder().encode(token)) {
    const signed = BigInt.asUintN(32, BigInt(byte >= 128 ? byte - 256 : byte));
    h = BigInt.asUintN(32, (h ^ signed) * 16777619n);
  }
  return Number(h);
}

/** The same hash with unsigned bytes, which fastText does not use: differs for non-ASCII tokens. */
function unsignedByteHash(token: string): number {
  let h = 2166136261n;
  for (const byte of new TextEncoder().encode(token)) h = BigInt.asUintN(32, (h ^ BigInt(byte)) * 16777619n);
  return Number(h);
}

function referenceBucket(hi: number, hj: number, bucket: number): number {
  const sext = (h: number) => BigInt.asUintN(64, BigInt.asIntN(32, BigInt(h)));
  return Number(BigInt.asUintN(64, sext(hi) * 116049371n + sext(hj)) % BigInt(bucket));
}

const tiny: FastTextVocab = {
  words: ["great", "</s>", "'", "t"],
  nwords: 4,
  bucket: 10_000_000,
  prune_keys: [],
  prune_vals: [],
  labels: ["__label__2", "__label__1"],
  eos: "</s>",
};
const tokenizer = FastTextTokenizer.fromJson(tiny);

describe("fastTextHash", () => {
  it("is FNV-1a over sign-extended UTF-8 bytes, unsigned 32-bit", () => {
    expect(fastTextHash("")).toBe(2166136261);
    // a = 0x61: (2166136261 ^ 0x61) * 16777619 mod 2^32, the published FNV-1a value of "a".
    expect(fastTextHash("a")).toBe(0xe40c292c);
    for (const token of ["</s>", "the", "café", "naïve", "ÉTÉ", "😀", "日本語", "don't"]) {
      expect(fastTextHash(token), token).toBe(referenceHash(token));
    }
  });

  it("sign-extends bytes >= 0x80, so non-ASCII tokens differ from plain FNV-1a", () => {
    expect(fastTextHash("the")).toBe(unsignedByteHash("the"));
    expect(fastTextHash("café")).not.toBe(unsignedByteHash("café"));
    expect(fastTextHash("naïve")).not.toBe(unsignedByteHash("naïve"));
  });

  it("handles tokens longer than its scratch buffer", () => {
    const long = "é".repeat(5000);
    expect(fastTextHash(long)).toBe(referenceHash(long));
  });
});

describe("bigramBucket", () => {
  it("matches 64-bit BigInt arithmetic", () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed;
    };
    for (let i = 0; i < 20_000; i++) {
      const [a, b] = [next(), next()];
      for (const bucket of [10_000_000, 2_000_000, 2 ** 31 - 1, 7]) {
        expect(bigramBucket(a, b, bucket)).toBe(referenceBucket(a, b, bucket));
      }
    }
  });

  it("is exact on the edges of sign extension and carries", () => {
    const edges = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 116049371];
    for (const a of edges) {
      for (const b of edges) expect(bigramBucket(a, b, 10_000_000)).toBe(referenceBucket(a, b, 10_000_000));
    }
  });
});

describe("normalise and tokens", () => {
  it.each([
    ["", ["</s>"]],
    ["Great", ["great", "</s>"]],
    ["Don't", ["don", "'", "t", "</s>"]],
    ["Wow!!!...", ["wow", "!", "!", "!", ".", ".", ".", "</s>"]],
    ['He said "wow"', ["he", "said", "wow", "</s>"]],
    ['quote"inside"word', ["quoteinsideword", "</s>"]],
    ["end.<br /><br />Start", ["end", ".", "start", "</s>"]],
    ["one<br /><br />two", ["one", "two", "</s>"]],
    ["a<br/>b", ["a<br/>b", "</s>"]],
    ["x;y:z (a, b)?", ["x", "y", "z", "(", "a", ",", "b", ")", "?", "</s>"]],
    ["tabs\tand\nnew\r\nlines  \v\f spaces   ", ["tabs", "and", "new", "lines", "spaces", "</s>"]],
    ["NAÏVE Café ÉTÉ", ["naïve", "café", "été", "</s>"]],
    ["no\u00a0break", ["no\u00a0break", "</s>"]],
  ])("%j -> %j", (text, expected) => {
    expect(tokenizer.tokens(text)).toEqual(expected);
    expect(tokenizer.normalise(text)).toBe(expected.slice(0, -1).join(" "));
  });

  it("squeezes and trims spaces", () => {
    expect(tokenizer.normalise("  It's   OK.  ")).toBe("it ' s ok .");
  });
});

describe("fromJson", () => {
  it.each([
    [null, /JSON object/],
    [{ ...tiny, words: "great" }, /"words"/],
    [{ ...tiny, nwords: 5 }, /nwords/],
    [{ ...tiny, bucket: 0 }, /bucket/],
    [{ ...tiny, prune_keys: [1], prune_vals: [] }, /same length/],
    [{ ...tiny, prune_keys: [10_000_000], prune_vals: [0] }, /prune_keys\[0\]/],
    [{ ...tiny, prune_keys: [1], prune_vals: [-1] }, /prune_vals\[0\]/],
    [{ ...tiny, eos: undefined }, /eos/],
  ])("rejects %j", (json, message) => {
    expect(() => FastTextTokenizer.fromJson(json)).toThrow(message);
  });
});

const vocabFile = path.join(modelMirror, "sentiment/fasttext-amazon-polarity/vocab.json");

describe.skipIf(!existsSync(vocabFile))(`fastText ids with the real vocabulary (needs ${vocabFile})`, () => {
  const vocab = JSON.parse(readFileSync(vocabFile, "utf8")) as FastTextVocab;
  const real = FastTextTokenizer.fromJson(vocab);
  const rows = new Map(vocab.prune_keys.map((key, index) => [key, vocab.prune_vals[index] as number]));
  const wordId = (word: string) => vocab.words.indexOf(word);
  const bigramId = (first: string, second: string) => {
    const row = rows.get(referenceBucket(referenceHash(first), referenceHash(second), vocab.bucket));
    return row === undefined ? undefined : vocab.nwords + row;
  };
  /** Expected ids from hand-written tokens: known word ids, then the kept bigrams of adjacent tokens. */
  const expectedIds = (tokens: string[]) => {
    const words = tokens.map(wordId).filter((id) => id >= 0);
    const pairs = tokens.slice(1).map((token, i) => bigramId(tokens[i] as string, token));
    return [...words, ...pairs.filter((id) => id !== undefined)];
  };

  it("gives only the id of </s> for an empty text", () => {
    expect(wordId("</s>")).toBe(10);
    expect(real.ids("")).toEqual([10]);
    expect(real.ids(" \n\t ")).toEqual([10]);
  });

  it.each([
    ["Great", ["great", "</s>"]],
    ["This is not good.", ["this", "is", "not", "good", ".", "</s>"]],
    ["Don't buy it!", ["don", "'", "t", "buy", "it", "!", "</s>"]],
    ["Very bad, very very bad", ["very", "bad", ",", "very", "very", "bad", "</s>"]],
  ])("gives the ids of %j", (text, tokens) => {
    expect(real.tokens(text)).toEqual(tokens);
    const ids = real.ids(text);
    expect(ids).toEqual(expectedIds(tokens));
    // Word ids come first, in token order; every id after them is a bigram id.
    const words = tokens.map(wordId).filter((id) => id >= 0);
    expect(ids.slice(0, words.length)).toEqual(words);
    expect(ids.slice(words.length).every((id) => id >= vocab.nwords)).toBe(true);
  });

  it("the real sentences exercise kept bigrams", () => {
    expect(real.ids("This is not good.").filter((id) => id >= vocab.nwords).length).toBeGreaterThan(0);
  });

  it("drops unknown words from the word ids but hashes them into bigrams", () => {
    const unknown = "zqxjkvw";
    expect(wordId(unknown)).toBe(-1);
    const ids = real.ids(`great ${unknown} product`);
    expect(ids.filter((id) => id < vocab.nwords)).toEqual([wordId("great"), wordId("product"), 10]);
    expect(ids).toEqual(expectedIds(["great", unknown, "product", "</s>"]));
    // "great product" as a bigram only exists without the unknown word in between.
    const direct = bigramId("great", "product");
    expect(direct).toBeDefined();
    expect(real.ids("great product")).toContain(direct);
    expect(ids).not.toContain(direct);
  });
});
