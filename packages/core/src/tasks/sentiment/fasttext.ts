/**
 * fastText's supervised pre-processing for `sentiment/fasttext-amazon-polarity` (see MODELS.md): the
 * converter's normalisation, whitespace tokens plus `</s>`, then the word ids of the known tokens in order,
 * then the ids of the kept (pruned) word-bigram buckets in order, over all tokens, unknown ones included.
 */
export interface FastTextVocab {
  words: string[];
  nwords: number;
  bucket: number;
  prune_keys: number[];
  prune_vals: number[];
  labels: string[];
  eos: string;
}

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
const MULTIPLIER = 116049371;
/** (2^32 - 1) * MULTIPLIER mod 2^32: the high half's contribution of a negative (sign-extended) hash. */
const NEGATIVE_HIGH = 2 ** 32 - MULTIPLIER;
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** fastText's 32-bit FNV-1a over the UTF-8 bytes, each byte sign-extended as int8. Unsigned result. */
export function fastTextHash(token: string): number {
  if (scratch.length < token.length * 3) scratch = new Uint8Array(token.length * 3);
  const { written } = encoder.encodeInto(token, scratch);
  let h = FNV_OFFSET;
  for (let i = 0; i < written; i++) h = Math.imul(h ^ (((scratch[i] as number) << 24) >> 24), FNV_PRIME);
  return h >>> 0;
}

/**
 * ((sext64(hi) * 116049371 + sext64(hj)) mod 2^64) mod bucket for unsigned 32-bit hashes, exactly, in
 * 32-bit halves and doubles below 2^53 (no BigInt).
 */
export function bigramBucket(hi: number, hj: number, bucket: number): number {
  const t = (hi & 0xffff) * MULTIPLIER;
  const u = (hi >>> 16) * MULTIPLIER + Math.floor(t / 65536);
  const productLow = Math.imul(hi, MULTIPLIER) >>> 0;
  const productHigh = Math.floor(u / 65536) + (hi >= 0x80000000 ? NEGATIVE_HIGH : 0);
  const sumLow = productLow + hj;
  const carry = sumLow >= 2 ** 32 ? 1 : 0;
  const low = sumLow - carry * 2 ** 32;
  const high = (productHigh + (hj >= 0x80000000 ? 0xffffffff : 0) + carry) >>> 0;
  let rest = high % bucket;
  rest = (rest * 65536 + (low >>> 16)) % bucket;
  return (rest * 65536 + (low & 0xffff)) % bucket;
}

/** fastText's own whitespace (readWord): space, \t, \n, \v, \f, \r and NUL; no Unicode spaces. */
const WHITESPACE = /[ \t\n\v\f\r\0]+/g;

const isInteger = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

function checkIntegers(name: string, values: unknown, min: number, max: number): number[] {
  if (!Array.isArray(values)) throw new Error(`fastText vocab: "${name}" must be an array`);
  const bad = values.findIndex((value) => !isInteger(value, min, max));
  if (bad >= 0) throw new Error(`fastText vocab: ${name}[${bad}] must be an integer in [${min}, ${max}]`);
  return values as number[];
}

function checkStrings(name: string, values: unknown): string[] {
  if (!Array.isArray(values) || values.some((value) => typeof value !== "string")) {
    throw new Error(`fastText vocab: "${name}" must be an array of strings`);
  }
  return values as string[];
}

function parseVocab(json: unknown): FastTextVocab {
  if (typeof json !== "object" || json === null) throw new Error("fastText vocab: expected a JSON object");
  const raw = json as Record<string, unknown>;
  const words = checkStrings("words", raw.words);
  if (raw.nwords !== words.length) {
    throw new Error(
      `fastText vocab: "nwords" (${String(raw.nwords)}) must equal words.length (${words.length})`,
    );
  }
  if (!isInteger(raw.bucket, 1, 2 ** 31 - 1)) {
    throw new Error('fastText vocab: "bucket" must be a positive 32-bit integer');
  }
  const prune_keys = checkIntegers("prune_keys", raw.prune_keys, 0, raw.bucket - 1);
  const prune_vals = checkIntegers("prune_vals", raw.prune_vals, 0, 2 ** 31 - 1 - words.length);
  if (prune_keys.length !== prune_vals.length) {
    throw new Error('fastText vocab: "prune_keys" and "prune_vals" must have the same length');
  }
  if (typeof raw.eos !== "string" || raw.eos === "") {
    throw new Error('fastText vocab: "eos" must be a non-empty string');
  }
  const labels = checkStrings("labels", raw.labels);
  return { words, nwords: words.length, bucket: raw.bucket, prune_keys, prune_vals, labels, eos: raw.eos };
}

export class FastTextTokenizer {
  private readonly wordIds = new Map<string, number>();
  /** fastTextHash of each vocabulary word, by word id. */
  private readonly wordHashes: Uint32Array;
  /** Bigram bucket -> id (nwords + row); buckets not in the pruned model are absent. */
  private readonly bigramIds = new Map<number, number>();

  private constructor(readonly vocab: FastTextVocab) {
    this.wordHashes = new Uint32Array(vocab.nwords);
    vocab.words.forEach((word, id) => {
      if (!this.wordIds.has(word)) this.wordIds.set(word, id);
      this.wordHashes[id] = fastTextHash(word);
    });
    vocab.prune_keys.forEach((key, index) => {
      this.bigramIds.set(key, vocab.nwords + (vocab.prune_vals[index] as number));
    });
  }

  static fromJson(json: unknown): FastTextTokenizer {
    return new FastTextTokenizer(parseVocab(json));
  }

  /** The converter's rules, in its order; the result is tokens separated by single spaces. */
  normalise(text: string): string {
    return text
      .toLowerCase()
      .replace(/'/g, " ' ")
      .replace(/"/g, "")
      .replace(/<br \/>/g, " ")
      .replace(/[.,()!?]/g, " $& ")
      .replace(/[;:]/g, " ")
      .replace(WHITESPACE, " ")
      .trim();
  }

  /** Whitespace tokens of the normalised text, then `</s>`. */
  tokens(text: string): string[] {
    const normalised = this.normalise(text);
    const tokens = normalised === "" ? [] : normalised.split(" ");
    tokens.push(this.vocab.eos);
    return tokens;
  }

  ids(text: string): number[] {
    const tokens = this.tokens(text);
    const hashes = new Uint32Array(tokens.length);
    const ids: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as string;
      const id = this.wordIds.get(token);
      if (id === undefined) {
        hashes[i] = fastTextHash(token);
      } else {
        hashes[i] = this.wordHashes[id] as number;
        ids.push(id);
      }
    }
    const { bucket } = this.vocab;
    for (let i = 0; i + 1 < hashes.length; i++) {
      const id = this.bigramIds.get(bigramBucket(hashes[i] as number, hashes[i + 1] as number, bucket));
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }
}
