/**
 * Text → hashed sparse features, the one implementation shared by the trainer and the server (the spec is
 * stored beside the ONNX graph as features.json, so serving reproduces the ids exactly; there is no
 * vocabulary). For a text:
 *   1. tokens: fastText's normalisation (`fastTextTokens`: lowercase; `<br />` is a space; `'` and
 *      `. , ( ) ! ?` are tokens of their own; `"` is dropped; `;`, `:` and whitespace separate), without the
 *      end-of-sentence token;
 *   2. features: each token, and (ngrams = 2) each adjacent pair joined by one space, hashed with 32-bit
 *      FNV-1a over their UTF-8 bytes, modulo `buckets` (a power of two: the low bits);
 *   3. values per distinct id: 1 (binary), the count (tf) or 1 + ln(count) (log-tf), then divided by the
 *      vector's Euclidean norm when norm = "l2". Ids come out in increasing order.
 */
import { fastTextTokens } from "../../tasks/sentiment/fasttext-tokenizer.js";

export interface FeatureSpec {
  kind: "hashed-ngrams";
  version: 1;
  tokens: "fasttext-normalised";
  hash: "fnv1a-32-utf8";
  buckets: number;
  ngrams: 1 | 2;
  weighting: "binary" | "tf" | "log-tf";
  norm: "l2" | "none";
}

export const DEFAULT_FEATURES: FeatureSpec = {
  kind: "hashed-ngrams",
  version: 1,
  tokens: "fasttext-normalised",
  hash: "fnv1a-32-utf8",
  buckets: 2 ** 20,
  ngrams: 2,
  weighting: "binary",
  norm: "l2",
};

export interface SparseFeatures {
  ids: Int32Array;
  values: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;
const utf8 = new TextEncoder();
let scratch = new Uint8Array(1024);

/** FNV-1a over `bytes`, continuing from `hash` (FNV_OFFSET to start). */
function fnvBytes(hash: number, bytes: Uint8Array, length: number): number {
  let h = hash;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
  return h >>> 0;
}

function utf8Of(token: string): Uint8Array {
  if (scratch.length < token.length * 3) scratch = new Uint8Array(token.length * 3);
  const { written } = utf8.encodeInto(token, scratch);
  return scratch.slice(0, written);
}

/** 32-bit FNV-1a of a string's UTF-8 bytes (unsigned). fnv1a("a") = 0xe40c292c. */
export function fnv1a(text: string): number {
  const bytes = utf8Of(text);
  return fnvBytes(FNV_OFFSET, bytes, bytes.length);
}

/** The tokens features are made of (step 1 of the module comment). */
export function featureTokens(text: string): string[] {
  const tokens = fastTextTokens(text, "</s>");
  tokens.pop();
  return tokens;
}

/** The hashed id of every unigram, then every bigram, in text order, repeats included. */
export function rawFeatureIds(text: string, spec: FeatureSpec): Int32Array {
  const tokens = featureTokens(text);
  const mask = spec.buckets - 1;
  const out = new Int32Array(spec.ngrams === 2 ? Math.max(0, 2 * tokens.length - 1) : tokens.length);
  const hashes = new Uint32Array(tokens.length);
  const bytes: Uint8Array[] = [];
  tokens.forEach((token, index) => {
    const encoded = utf8Of(token);
    bytes.push(encoded);
    hashes[index] = fnvBytes(FNV_OFFSET, encoded, encoded.length);
    out[index] = (hashes[index] as number) & mask;
  });
  if (spec.ngrams === 2) {
    for (let i = 0; i + 1 < tokens.length; i++) {
      const second = bytes[i + 1] as Uint8Array;
      const joined = Math.imul((hashes[i] as number) ^ SPACE, FNV_PRIME) >>> 0;
      out[tokens.length + i] = fnvBytes(joined, second, second.length) & mask;
    }
  }
  return out;
}

export function checkSpec(spec: FeatureSpec): void {
  const { buckets } = spec;
  const known =
    spec.kind === "hashed-ngrams" &&
    spec.version === 1 &&
    spec.tokens === "fasttext-normalised" &&
    spec.hash === "fnv1a-32-utf8" &&
    (spec.ngrams === 1 || spec.ngrams === 2) &&
    ["binary", "tf", "log-tf"].includes(spec.weighting) &&
    ["l2", "none"].includes(spec.norm);
  if (
    !known ||
    !Number.isInteger(buckets) ||
    buckets < 2 ||
    buckets > 2 ** 24 ||
    (buckets & (buckets - 1)) !== 0
  ) {
    throw new Error(`unsupported feature spec: ${JSON.stringify(spec)}`);
  }
}

/** Distinct ids in increasing order with their values (steps 2–3 of the module comment). */
export function featuresOf(text: string, spec: FeatureSpec): SparseFeatures {
  const raw = rawFeatureIds(text, spec).sort();
  const ids: number[] = [];
  const counts: number[] = [];
  for (const id of raw) {
    if (ids[ids.length - 1] === id) counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
    else {
      ids.push(id);
      counts.push(1);
    }
  }
  const values = Float32Array.from(counts, (count) =>
    spec.weighting === "binary" ? 1 : spec.weighting === "tf" ? count : 1 + Math.log(count),
  );
  if (spec.norm === "l2" && values.length > 0) {
    let squares = 0;
    for (const value of values) squares += value * value;
    const scale = 1 / Math.sqrt(squares);
    for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * scale;
  }
  return { ids: Int32Array.from(ids), values };
}

export interface FeatureFeeds {
  input_ids: { type: "int64"; data: BigInt64Array; dims: [number, number] };
  weights: { type: "float32"; data: Float32Array; dims: [number, number] };
}

/** The linear classifier graph's two inputs for a batch: rows right-padded with id 0, weight 0. */
export function featureFeeds(batch: readonly SparseFeatures[]): FeatureFeeds {
  const width = Math.max(1, ...batch.map((features) => features.ids.length));
  const ids = new BigInt64Array(batch.length * width);
  const halves = new Int32Array(ids.buffer);
  const weights = new Float32Array(batch.length * width);
  batch.forEach((features, row) => {
    features.ids.forEach((id, column) => {
      halves[(row * width + column) * 2] = id;
    });
    weights.set(features.values, row * width);
  });
  const dims: [number, number] = [batch.length, width];
  return { input_ids: { type: "int64", data: ids, dims }, weights: { type: "float32", data: weights, dims } };
}
