import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bigramBucket,
  FastTextTokenizer,
  fastTextHash,
  fastTextTokens,
} from "../../../../packages/core/src/tasks/sentiment/fasttext-tokenizer.js";
import { modelMirror } from "../../../support/shared.js";

/** fastText's hash written the plain way: UTF-8 bytes, each sign-extended, 32-bit FNV-1a. */
function referenceHash(token: string): number {
  let h = 2166136261n;
  for (const byte of new TextEncoder().encode(token)) {
    const signed = BigInt.asUintN(32, BigInt((byte << 24) >> 24));
    h = BigInt.asUintN(32, (h ^ signed) * 16777619n);
  }
  return Number(h);
}

const referenceBucket = (a: number, b: number, bucket: number) => {
  const sext = (h: number) => BigInt.asUintN(64, BigInt.asIntN(32, BigInt(h)));
  return Number(BigInt.asUintN(64, sext(a) * 116049371n + sext(b)) % BigInt(bucket));
};

/** The converter's rules as successive replacements, then fastText's whitespace split. */
function referenceTokens(text: string): string[] {
  const normalised = text
    .toLowerCase()
    .replace(/<br \/>/g, " ")
    .replace(/'/g, " ' ")
    .replace(/"/g, "")
    .replace(/([.,()!?])/g, " $1 ")
    .replace(/[;:]/g, " ")
    .trim();
  return [...normalised.split(/[ \t\n\v\f\r\0]+/).filter(Boolean), "</s>"];
}

const TRICKY = [
  "",
  "Great",
  "Don't miss it!!!... Really?!",
  'He said "wow" twice;then: left',
  "Line one.<br /><br />Line two<br/>three",
  "naïve café — déjà vu 😀 ÉTÉ",
  "tabs\tand\nnewlines\r\n  and   spaces",
  "İstanbul ß ﬁ", // lower-casing that changes length
  'quote"inside"word and (parenthesised, text)',
];

describe("fastText pre-processing", () => {
  it("hashes like fastText: FNV-1a over sign-extended UTF-8 bytes", () => {
    for (const token of ["</s>", "the", "café", "naïve", "😀", "日本語", ""]) {
      expect(fastTextHash(token), token).toBe(referenceHash(token));
    }
    expect(fastTextHash("")).toBe(2166136261);
  });

  it("computes bigram buckets in 64-bit arithmetic, exactly, without BigInt", () => {
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      const [a, b] = [next(), next()];
      expect(bigramBucket(a, b, 10_000_000)).toBe(referenceBucket(a, b, 10_000_000));
    }
    for (const [a, b] of [
      [0, 0],
      [0xffffffff, 0xffffffff],
      [0x80000000, 0x7fffffff],
    ] as const) {
      expect(bigramBucket(a, b, 10_000_000)).toBe(referenceBucket(a, b, 10_000_000));
    }
  });

  it.each(TRICKY)("tokenises %j as the replacement rules do", (text) => {
    expect(fastTextTokens(text, "</s>")).toEqual(referenceTokens(text));
  });

  it("keeps <br /> out, quotes dropped, apostrophes and punctuation as tokens", () => {
    expect(fastTextTokens('Don\'t "go".<br />Ok!', "</s>")).toEqual([
      "don",
      "'",
      "t",
      "go",
      ".",
      "ok",
      "!",
      "</s>",
    ]);
    expect(fastTextTokens("", "</s>")).toEqual(["</s>"]);
  });
});

const vocabFile = path.join(modelMirror, "sentiment/fasttext-amazon-polarity/vocab.json");

describe.skipIf(!existsSync(vocabFile))("fastText ids with the real vocabulary", () => {
  const vocab = JSON.parse(readFileSync(vocabFile, "utf8")) as {
    words: string[];
    nwords: number;
    bucket: number;
    prune_keys: number[];
    prune_vals: number[];
  };
  const tokenizer = FastTextTokenizer.fromJson(vocab);
  const pruned = new Map(vocab.prune_keys.map((key, index) => [key, vocab.prune_vals[index] as number]));

  /** Word ids of known tokens, then pruned bigram rows over all tokens, computed the plain way. */
  function referenceIds(text: string): number[] {
    const tokens = referenceTokens(text);
    const words = tokens.map((token) => vocab.words.indexOf(token)).filter((id) => id >= 0);
    const bigrams: number[] = [];
    for (let i = 0; i + 1 < tokens.length; i++) {
      const bucket = referenceBucket(
        referenceHash(tokens[i] as string),
        referenceHash(tokens[i + 1] as string),
        vocab.bucket,
      );
      const row = pruned.get(bucket);
      if (row !== undefined) bigrams.push(vocab.nwords + row);
    }
    return [...words, ...bigrams];
  }

  it.each([...TRICKY, "this movie was not good at all", "Zyxwvut qqqq blorft movie"])(
    "gives the ids of %j",
    (text) => {
      expect(tokenizer.ids(text)).toEqual(referenceIds(text));
    },
  );

  it("drops unknown words from the word ids but keeps them in bigrams", () => {
    const known = tokenizer.ids("great movie");
    const withUnknown = tokenizer.ids("great qqqqzzzz movie");
    const wordIds = (ids: number[]) => ids.filter((id) => id < vocab.nwords);
    expect(wordIds(withUnknown)).toEqual(wordIds(known));
    expect(withUnknown.filter((id) => id >= vocab.nwords)).not.toEqual(
      known.filter((id) => id >= vocab.nwords),
    );
    expect(tokenizer.ids("")).toEqual([vocab.words.indexOf("</s>")]);
  });
});
